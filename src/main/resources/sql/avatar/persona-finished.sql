-- The persona is complete once its base image is stored and each of its grids is made or failed (failed photos
-- are in the task's error log). A persona whose work was interrupted stays pending, to be resumed.
UPDATE avatar_personas p
   SET status = 'completed'
  FROM avatar_tasks t
 WHERE p.persona_key = :#persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
   AND p.status = 'pending' AND p.base_image_url IS NOT NULL
   AND (SELECT count(*) FROM avatar_grids g WHERE g.persona_key = p.persona_key AND g.status <> 'pending')
       = CAST(:#images_per_persona AS int) / 4
RETURNING p.status
