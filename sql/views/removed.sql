-- removed: every bundle's partition of the removed Parquet table
select *
from read_parquet(
    '{parquet_root}/removed/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
