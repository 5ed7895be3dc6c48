-- A task by its numeric key or its short public id, with its counts.
SELECT * FROM avatar_task_overview
 WHERE task_id = :id OR task_key = :key
 ORDER BY task_id = :id DESC
 LIMIT 1
