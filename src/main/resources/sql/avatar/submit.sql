-- A new task, waiting to be claimed (its insert is the NOTIFY that wakes the stage). The same Idempotency-Key
-- again is the same task: nothing is inserted, and the existing task is answered.
WITH inserted AS (
    INSERT INTO avatar_tasks (persona_count, images_per_persona, persona_description, bio_language, request_key,
                              submitted_by)
    VALUES (:personaCount, :imagesPerPersona, :personaDescription, :bioLanguage, :requestKey, :user)
        ON CONFLICT (request_key) DO NOTHING
 RETURNING task_key, task_id, status, true AS created
)
SELECT task_key, task_id, status, created FROM inserted
 UNION ALL
SELECT task_key, task_id, status, false FROM avatar_tasks
 WHERE request_key = :requestKey AND NOT EXISTS (SELECT 1 FROM inserted)
