-- sentences: every bundle's rows of the sentences table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/sentences/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
