-- An attempt at the persona's base image is counted before the image API is called, so a restart never resets
-- the count. No row: the lease is no longer this exchange's.
UPDATE avatar_personas p
   SET base_attempts = p.base_attempts + 1
  FROM avatar_tasks t
 WHERE p.persona_key = :#persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
RETURNING p.base_attempts
