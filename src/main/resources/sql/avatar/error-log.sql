-- What went wrong in a task, oldest first: its own log lines (shortfall, stage stops, unexpected failures), each
-- persona that failed and each photo that failed, with why. At most :limit lines.
SELECT at, persona_id, persona, image, error
  FROM (SELECT (n ->> 'at')::timestamptz AS at, NULL::bigint AS persona_id, NULL AS persona, NULL::int AS image,
               n ->> 'error' AS error
          FROM avatar_tasks t, jsonb_array_elements(t.notes) AS n
         WHERE t.task_key = :taskKey
         UNION ALL
        SELECT p.updated_at, p.persona_key, p.firstname || ' ' || p.lastname, NULL, p.error
          FROM avatar_personas p
         WHERE p.task_key = :taskKey AND p.status = 'failed'
         UNION ALL
        SELECT i.created_at, p.persona_key, p.firstname || ' ' || p.lastname, i.n, i.error
          FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = :taskKey AND i.status = 'failed') AS e
 ORDER BY at, persona_id NULLS FIRST, image NULLS FIRST
 LIMIT :limit
