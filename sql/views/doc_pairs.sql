-- doc_pairs: every bundle's rows of the doc_pairs table (bundle_id is a column of the files;
-- the path is relative to the warehouse's folder)
select *
from read_parquet('parquet/doc_pairs/*/*.parquet', hive_partitioning = false, union_by_name = true)
