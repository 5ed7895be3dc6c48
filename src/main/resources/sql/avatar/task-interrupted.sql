-- The task's work stopped before its end: a cancel request makes it cancelled (what is stored stays); a provider
-- that stopped the stage hands it back, to be claimed again when the stage's cooldown ends (the reason is in its log
-- since the stop, halt.sql); personas left without an outcome hand it back to be resumed at once. Only under this
-- exchange's lease; no row when the lease was lost. Answers the status and when the task may be claimed again.
WITH halt AS (
    SELECT value FROM system_state
     WHERE key = 'avatar.halt' AND (value ->> 'until')::timestamptz > now()
)
UPDATE avatar_tasks t
   SET status = CASE WHEN t.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE t.status END,
       finished_at = CASE WHEN t.cancel_requested_at IS NOT NULL THEN now() ELSE t.finished_at END,
       next_attempt_at = coalesce((SELECT (value ->> 'until')::timestamptz FROM halt), now()),
       lease_id = NULL
 WHERE t.task_key = :#task_key AND t.lease_id = :#lease_id
RETURNING t.status,
          to_char(t.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resumes_at
