-- Before a retry of the persona's base image: the attempt is counted and the last failure kept.
UPDATE avatar_personas p
   SET base_attempts = p.base_attempts + 1, error = left(:error, 1000)
  FROM avatar_tasks t
 WHERE p.persona_key = :persona_key AND t.task_key = p.task_key AND t.lease_id = :lease_id
RETURNING p.base_attempts
