-- No grid (moderation refused its prompt, attempts used up): the grid's photos not stored yet have failed, with
-- the reason; the persona's other grids go on.
WITH grid AS (
    UPDATE avatar_grids g
       SET status = 'failed', error = left(:#failure, 1000), grid_png = NULL
      FROM avatar_personas p, avatar_tasks t
     WHERE g.persona_key = :#persona_key AND g.grid = CAST(:#grid AS int)
       AND p.persona_key = g.persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
 RETURNING g.persona_key, g.grid
)
INSERT INTO avatar_images (persona_key, n, grid, tile, status, error)
SELECT grid.persona_key, grid.grid * 4 + tile, grid.grid, tile, 'failed', left(:#failure, 1000)
  FROM grid, generate_series(0, 3) AS tile
    ON CONFLICT (persona_key, n) DO NOTHING
