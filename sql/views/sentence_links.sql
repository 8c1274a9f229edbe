-- sentence_links: every bundle's partition of the sentence_links Parquet table
select *
from read_parquet(
    '{parquet_root}/sentence_links/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
