-- The grid the image API made is kept until its four photos are stored: a restart cuts this one again rather than
-- paying for another.
UPDATE avatar_grids g
   SET grid_png = :#${variable.grid_png}
  FROM avatar_personas p, avatar_tasks t
 WHERE g.persona_key = :#persona_key AND g.grid = CAST(:#grid AS int)
   AND p.persona_key = g.persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
