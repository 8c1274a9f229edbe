-- amounts: every bundle's rows of the amounts table (bundle_id is a column of the files;
-- the path is relative to the warehouse's folder)
select *
from read_parquet('parquet/amounts/*/*.parquet', hive_partitioning = false, union_by_name = true)
