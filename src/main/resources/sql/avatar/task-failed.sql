-- The task cannot go on (a refusal no retry changes): failed with the reason, what is stored stays.
UPDATE avatar_tasks
   SET status = 'failed', error = left(:#failure, 1000), finished_at = now(), lease_id = NULL
 WHERE task_key = :#task_key AND lease_id = :#lease_id
