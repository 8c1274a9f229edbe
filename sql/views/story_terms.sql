-- story_terms: every bundle's rows of the story state: the terms each document was compared by
-- (bundle_id is a column of the files; the path is relative to the warehouse's folder)
select *
from read_parquet('parquet/story_terms/*/*.parquet', hive_partitioning = false, union_by_name = true)
