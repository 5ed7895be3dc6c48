-- A photo cut from the grid shows nothing (white or nearly white all over): a failed photo, not an upload.
INSERT INTO avatar_images (persona_key, n, grid, tile, status, error)
SELECT CAST(:#persona_key AS bigint), CAST(:#image_n AS int), CAST(:#grid AS int), CAST(:#${variable.tile.tile()} AS int),
       'failed', left(:#failure, 1000)
 WHERE EXISTS (SELECT 1 FROM avatar_tasks WHERE task_key = :#task_key AND lease_id = :#lease_id)
    ON CONFLICT (persona_key, n) DO NOTHING
