-- The grid's prompt is kept: a retry or a restart uses it rather than asking Flowise again. Its picture then gets
-- attempts of its own.
UPDATE avatar_grids g
   SET prompt = :#${variable.prompt}, error = NULL, attempts = 0
  FROM avatar_personas p, avatar_tasks t
 WHERE g.persona_key = :#persona_key AND g.grid = CAST(:#grid AS int)
   AND p.persona_key = g.persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
