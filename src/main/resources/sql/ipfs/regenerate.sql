-- The image to pin is gone (a provider URL that expired, with no kept bytes): send the token back to be
-- generated again rather than fail it. The generation stage's attempt count keeps this bounded; the reason
-- is kept for the story and for the message if those attempts run out.
WITH back AS (
    UPDATE tokens_s0
       SET status = 'detected',
           image_url = NULL,
           image_cid = NULL,
           upload_attempts = 0,
           generation_error = left('Image gone before it was pinned: ' || :#failure, 1000),
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id
 RETURNING token_id, generation_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'ipfs', 'regenerate', jsonb_build_object('error', left(CAST(:#failure AS text), 1000))
  FROM back
