-- Every photo of the grid is stored or failed: the kept picture is no longer needed.
UPDATE avatar_grids g
   SET status = 'done', grid_png = NULL, error = NULL
  FROM avatar_personas p, avatar_tasks t
 WHERE g.persona_key = :#persona_key AND g.grid = CAST(:#grid AS int)
   AND p.persona_key = g.persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
