-- The task's work stopped before its end: a cancel request makes it cancelled (what is stored stays); a provider
-- that stopped the stage hands it back, to be claimed again when the stage's cooldown ends, with the reason in its
-- log. Only under this exchange's lease; no row when the lease was lost.
WITH halt AS (
    SELECT value FROM system_state
     WHERE key = 'avatar.halt' AND (value ->> 'until')::timestamptz > now()
)
UPDATE avatar_tasks t
   SET status = CASE WHEN t.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE t.status END,
       finished_at = CASE WHEN t.cancel_requested_at IS NOT NULL THEN now() ELSE t.finished_at END,
       next_attempt_at = coalesce((SELECT (value ->> 'until')::timestamptz FROM halt), now()),
       notes = CASE WHEN t.cancel_requested_at IS NULL AND EXISTS (SELECT 1 FROM halt)
                    THEN t.notes || jsonb_build_array(jsonb_build_object('at', now(), 'error',
                             (SELECT left(format('%s stopped the avatar stage: %s (work resumes after %s)',
                                                 value ->> 'provider', value ->> 'reason', value ->> 'until'), 1000)
                                FROM halt)))
                    ELSE t.notes END,
       lease_id = NULL
 WHERE t.task_key = :#task_key AND t.lease_id = :#lease_id
RETURNING t.status
