-- A finished or cancelled task that nobody works on is deleted with its personas, grids and photo rows.
DELETE FROM avatar_tasks
 WHERE task_key = :taskKey AND status IN ('completed', 'failed', 'cancelled') AND lease_id IS NULL
RETURNING task_key
