-- A page of tasks, newest first, with their counts.
SELECT t.task_key, t.task_id, t.status, t.persona_count, t.images_per_persona, t.persona_description, t.bio_language,
       t.personas_stored, t.input_tokens, t.output_tokens, t.total_tokens, t.error, t.notes,
       t.cancel_requested_at IS NOT NULL AS cancel_requested, t.lease_id IS NOT NULL AS in_work, t.submitted_by,
       t.created_at, t.started_at, t.finished_at, t.updated_at,
       (SELECT count(*) FROM avatar_personas p WHERE p.task_key = t.task_key AND p.status = 'completed') AS personas_completed,
       (SELECT count(*) FROM avatar_personas p WHERE p.task_key = t.task_key AND p.status = 'failed') AS personas_failed,
       (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = t.task_key AND i.status = 'stored') AS images_stored,
       (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = t.task_key AND i.status = 'failed') AS images_failed
  FROM avatar_tasks t
 ORDER BY t.task_key DESC
 LIMIT :size OFFSET :offset
