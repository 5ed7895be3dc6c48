-- A page of tasks, newest first, with their counts.
SELECT * FROM avatar_task_overview ORDER BY task_key DESC LIMIT :size OFFSET :offset
