-- The persona's K/4 grids get their rows, once: what is made of each is recorded there.
INSERT INTO avatar_grids (persona_key, grid)
SELECT CAST(:#persona_key AS bigint), g
  FROM generate_series(0, CAST(:#images_per_persona AS int) / 4 - 1) AS g
 WHERE EXISTS (SELECT 1 FROM avatar_tasks WHERE task_key = :#task_key AND lease_id = :#lease_id)
    ON CONFLICT (persona_key, grid) DO NOTHING
