-- Asked before every billed call, whether this task's work may go on: 'active'; 'cancelled' once a cancel was requested;
-- 'halted' while a provider has stopped the stage; no row when the lease is no longer this exchange's.
SELECT CASE WHEN t.cancel_requested_at IS NOT NULL THEN 'cancelled'
            WHEN EXISTS (SELECT 1 FROM system_state s
                          WHERE s.key = 'avatar.halt' AND (s.value ->> 'until')::timestamptz > now()) THEN 'halted'
            ELSE 'active' END AS state
  FROM avatar_tasks t
 WHERE t.task_key = :#task_key AND t.lease_id = :#lease_id
