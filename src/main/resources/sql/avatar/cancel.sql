-- A cancel request: work in progress stops before its next billed call (its worker ends the task cancelled); a
-- task that nobody works on is cancelled at once. Finished tasks are left as they are (no row).
UPDATE avatar_tasks
   SET cancel_requested_at = coalesce(cancel_requested_at, now()),
       status = CASE WHEN lease_id IS NULL THEN 'cancelled' ELSE status END,
       finished_at = CASE WHEN lease_id IS NULL THEN now() ELSE finished_at END
 WHERE task_key = :taskKey AND status NOT IN ('completed', 'failed', 'cancelled')
RETURNING task_key, task_id, status
