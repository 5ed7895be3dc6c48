-- No base image for the persona (refused by moderation, attempts used up): without it there is no picture of this
-- person, so the persona has failed, with the reason.
UPDATE avatar_personas p
   SET status = 'failed', error = left(:#failure, 1000)
  FROM avatar_tasks t
 WHERE p.persona_key = :#persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
