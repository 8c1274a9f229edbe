-- entities: every bundle's rows of the entities table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/entities/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
