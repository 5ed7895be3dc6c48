-- An avatar task as operators see it — its status, who holds it, how often it was claimed, its counts — with what
-- would be a defect: a failed persona or photo without its reason, a photo of a completed persona neither stored
-- nor failed — and the reasons the failed personas were given.
SELECT o.status, o.lease_owner, o.claims, o.persona_count, o.images_per_persona, o.personas_completed,
       o.personas_failed, o.images_stored, o.images_failed, o.error,
       (SELECT count(*) FROM avatar_personas p WHERE p.task_key = o.task_key AND p.status = 'failed' AND p.error IS NULL)
     + (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = o.task_key AND i.status = 'failed' AND i.error IS NULL) AS failures_without_reason,
       (SELECT string_agg(p.error, '; ' ORDER BY p.persona_key) FROM avatar_personas p
         WHERE p.task_key = o.task_key AND p.status = 'failed') AS persona_errors,
       (SELECT coalesce(sum(o.images_per_persona - (SELECT count(*) FROM avatar_images i
                                                      WHERE i.persona_key = p.persona_key)), 0)
          FROM avatar_personas p WHERE p.task_key = o.task_key AND p.status = 'completed') AS photos_missing
  FROM avatar_task_overview o
 WHERE o.task_key = :taskKey
