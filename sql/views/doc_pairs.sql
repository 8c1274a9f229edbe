-- doc_pairs: every bundle's partition of the doc_pairs Parquet table
select *
from read_parquet(
    '{parquet_root}/doc_pairs/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
