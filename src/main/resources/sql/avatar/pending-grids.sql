-- The persona's grids still to make: their prompt once Flowise wrote it, and whether the picture is already kept.
SELECT grid, prompt, grid_png IS NOT NULL AS kept
  FROM avatar_grids
 WHERE persona_key = :#persona_key AND status = 'pending'
 ORDER BY grid
