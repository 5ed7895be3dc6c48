-- Image generated and kept: store the bytes (provider outputs expire after about an hour; an output that came
-- inline has no URL, image_url NULL), note which prediction and which instance made it, and hand the token to
-- the IPFS stage. Only the claim that holds the token may finish it: 0 rows means its lease ran out and the
-- token went on without this exchange.
WITH done AS (
    UPDATE tokens_s0
       SET status = 'uploading',
           image_url = :#${variable.image_url},
           generation_prediction_id = :#prediction_id,
           generation_censored = CAST(:#censored AS boolean),
           generation_error = NULL,
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id AND status = 'generating'
 RETURNING token_id, generation_attempts
), image AS (
    INSERT INTO token_images (token_id, content_type, bytes, source_url)
    SELECT token_id, :#image_type, :#image_bytes, :#${variable.image_url}
      FROM done
        ON CONFLICT (token_id) DO UPDATE
       SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, source_url = EXCLUDED.source_url,
           fetched_at = now()
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'generation', 'succeeded',
       jsonb_build_object('attempt', generation_attempts, 'prediction_id', CAST(:#prediction_id AS text),
                          'censored', CAST(:#censored AS boolean), 'instance', CAST(:#lease_owner AS text))
  FROM done
