-- Every persona is done: completed when at least one photo is stored (the failures are in the error log), failed
-- when none is.
WITH photos AS (
    SELECT count(*) FILTER (WHERE i.status = 'stored') AS stored
      FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
     WHERE p.task_key = :#task_key
)
UPDATE avatar_tasks t
   SET status = CASE WHEN photos.stored > 0 THEN 'completed' ELSE 'failed' END,
       error = CASE WHEN photos.stored = 0 THEN 'No photo could be made: see the error log' END,
       finished_at = now(),
       lease_id = NULL
  FROM photos
 WHERE t.task_key = :#task_key AND t.lease_id = :#lease_id
RETURNING t.status
