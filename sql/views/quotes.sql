-- quotes: every bundle's partition of the quotes Parquet table
select *
from read_parquet(
    '{parquet_root}/quotes/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
