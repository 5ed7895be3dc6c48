-- Tokens :first .. :last as the generation stage leaves them, in one statement: uploading, with the image's bytes
-- kept (the IPFS stage pins those; image_url is where they came from, never fetched).
WITH tokens AS (
    INSERT INTO tokens_s0 (token_id, author_id, status, image_url)
    SELECT id, :author, 'uploading', 'http://127.0.0.1/sim/replicate/delivery/bench/' || id || '.webp'
      FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS id
    RETURNING token_id, image_url
)
INSERT INTO token_images (token_id, content_type, bytes, source_url)
SELECT token_id, :contentType, :bytes, image_url FROM tokens
