-- How many lines the task's error log has.
SELECT (SELECT jsonb_array_length(notes) FROM avatar_tasks WHERE task_key = :taskKey)
     + (SELECT count(*) FROM avatar_personas WHERE task_key = :taskKey AND status = 'failed')
     + (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = :taskKey AND i.status = 'failed')
