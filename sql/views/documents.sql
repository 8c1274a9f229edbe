-- documents: every bundle's partition of the documents Parquet table
select *
from read_parquet(
    '{parquet_root}/documents/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
