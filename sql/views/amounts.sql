-- amounts: every bundle's partition of the amounts Parquet table
select *
from read_parquet(
    '{parquet_root}/amounts/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
