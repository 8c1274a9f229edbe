-- sentence_links: every bundle's rows of the sentence_links table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/sentence_links/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
