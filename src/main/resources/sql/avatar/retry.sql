-- A finished task (completed, failed or cancelled, and not in work) with something failed or left undone goes back
-- to its queue for that: failed personas and grids are reset (a refused grid gets a new prompt), failed photos are deleted so
-- they are made again; missing personas are asked for again. What is stored stays and is not made again. Answers
-- the task, and how many personas and photos are retried.
WITH task AS (
    UPDATE avatar_tasks
       SET status = CASE WHEN personas_stored < persona_count THEN 'generating-data' ELSE 'generating-images' END,
           data_rounds = CASE WHEN personas_stored < persona_count THEN 0 ELSE data_rounds END,
           cancel_requested_at = NULL, error = NULL, finished_at = NULL, next_attempt_at = now()
     WHERE task_key = :taskKey AND status IN ('completed', 'failed', 'cancelled') AND lease_id IS NULL
       AND (status <> 'completed' OR personas_stored < persona_count
            OR EXISTS (SELECT 1 FROM avatar_personas p WHERE p.task_key = :taskKey AND p.status = 'failed')
            OR EXISTS (SELECT 1 FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
                        WHERE p.task_key = :taskKey AND i.status = 'failed'))
 RETURNING task_key, task_id, status, persona_count - personas_stored AS missing
), failed_images AS (
    DELETE FROM avatar_images i
     USING avatar_personas p, task
     WHERE p.persona_key = i.persona_key AND p.task_key = task.task_key AND i.status = 'failed'
 RETURNING i.persona_key, i.grid
), grids AS (
    UPDATE avatar_grids g
       SET status = 'pending', attempts = 0, error = NULL,
           prompt = CASE WHEN g.status = 'failed' THEN NULL ELSE g.prompt END
      FROM (SELECT DISTINCT persona_key, grid FROM failed_images) f
     WHERE g.persona_key = f.persona_key AND g.grid = f.grid
), personas AS (
    UPDATE avatar_personas p
       SET status = 'pending', error = NULL,
           base_attempts = CASE WHEN p.base_image_url IS NULL THEN 0 ELSE p.base_attempts END
      FROM task
     WHERE p.task_key = task.task_key
       AND (p.status = 'failed' OR p.persona_key IN (SELECT persona_key FROM failed_images))
 RETURNING p.persona_key
)
SELECT task_key, task_id, status, missing,
       (SELECT count(*) FROM personas) AS personas, (SELECT count(*) FROM failed_images) AS images
  FROM task
