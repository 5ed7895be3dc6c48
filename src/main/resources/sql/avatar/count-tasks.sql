-- How many tasks there are, for paging.
SELECT count(*) FROM avatar_tasks
