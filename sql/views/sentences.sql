-- sentences: every bundle's partition of the sentences Parquet table
select *
from read_parquet(
    '{parquet_root}/sentences/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
