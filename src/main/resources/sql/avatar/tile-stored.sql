-- A photo is in the bucket: its URLs are stored at once.
INSERT INTO avatar_images (persona_key, n, grid, tile, status, s3_key, url, thumb_url, width, height)
SELECT CAST(:#persona_key AS bigint), CAST(:#image_n AS int), CAST(:#grid AS int), CAST(:#${variable.tile.tile()} AS int),
       'stored', :#${variable.stored.key()}, :#${variable.stored.url()}, :#${variable.stored.thumbUrl()},
       CAST(:#${variable.stored.width()} AS int), CAST(:#${variable.stored.height()} AS int)
 WHERE EXISTS (SELECT 1 FROM avatar_tasks WHERE task_key = :#task_key AND lease_id = :#lease_id)
    ON CONFLICT (persona_key, n) DO UPDATE
   SET status = 'stored', s3_key = EXCLUDED.s3_key, url = EXCLUDED.url, thumb_url = EXCLUDED.thumb_url,
       width = EXCLUDED.width, height = EXCLUDED.height, error = NULL
