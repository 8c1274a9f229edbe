-- entities: every bundle's partition of the entities Parquet table
select *
from read_parquet(
    '{parquet_root}/entities/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
