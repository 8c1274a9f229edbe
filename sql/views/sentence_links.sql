-- sentence_links: every bundle's rows of the sentence_links table (bundle_id is a column of the files;
-- the path is relative to the warehouse's folder)
select *
from read_parquet('parquet/sentence_links/*/*.parquet', hive_partitioning = false, union_by_name = true)
