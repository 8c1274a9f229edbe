-- story_documents: every bundle's rows of the story state: each document's story and days
-- (bundle_id is a column of the files; the path is relative to the warehouse's folder)
select *
from read_parquet('parquet/story_documents/*/*.parquet', hive_partitioning = false, union_by_name = true)
