-- A provider refused the service as a whole (wrong key, no quota, missing bucket): no avatar call is made, by any
-- instance, until the cooldown ends; health says why, and so does the log of the task whose call was refused —
-- written now, since the task may only notice the stop after the cooldown (once per stop: its personas may each
-- be refused).
WITH halt AS (
    INSERT INTO system_state (key, value, updated_at)
    VALUES ('avatar.halt',
            jsonb_build_object('provider', CAST(:#halt_provider AS text), 'reason', left(:#failure, 1000), 'since', now(),
                               'until', now() + make_interval(secs => CAST(:#halt_cooldown AS int))),
            now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
    RETURNING value
), said AS (
    SELECT format('%s stopped the avatar stage: %s', value ->> 'provider', value ->> 'reason') AS stopped,
           value ->> 'until' AS until
      FROM halt
)
UPDATE avatar_tasks t
   SET notes = t.notes || jsonb_build_array(jsonb_build_object('at', now(), 'error',
                   left(format('%s (work resumes after %s)', said.stopped, said.until), 1000)))
  FROM said
 WHERE t.task_key = :#task_key AND t.lease_id = :#lease_id
   AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(t.notes) AS n
                    WHERE n ->> 'error' LIKE said.stopped || ' (work resumes after %'
                      AND (n ->> 'at')::timestamptz > now() - make_interval(secs => CAST(:#halt_cooldown AS int)))
