-- documents: every bundle's rows of the documents table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/documents/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
