-- amounts: every bundle's rows of the amounts table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/amounts/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
