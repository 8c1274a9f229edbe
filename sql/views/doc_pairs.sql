-- doc_pairs: every bundle's rows of the doc_pairs table (a path relative to the warehouse's folder)
select *
from read_parquet(
    'parquet/doc_pairs/*/*.parquet',
    hive_partitioning = true,
    hive_types = {'bundle_id': varchar}
)
