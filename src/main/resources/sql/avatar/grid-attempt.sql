-- An attempt at a grid (its prompt, or its picture) is counted before the provider is called.
UPDATE avatar_grids g
   SET attempts = g.attempts + 1
  FROM avatar_personas p, avatar_tasks t
 WHERE g.persona_key = :#persona_key AND g.grid = CAST(:#grid AS int)
   AND p.persona_key = g.persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
RETURNING g.attempts
