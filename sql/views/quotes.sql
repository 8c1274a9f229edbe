-- quotes: every bundle's rows of the quotes table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/quotes/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
