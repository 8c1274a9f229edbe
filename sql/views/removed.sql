-- removed: every bundle's rows of the removed table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/removed/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
