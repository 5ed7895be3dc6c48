-- Image and metadata are pinned: the token is ready to be revealed. The kept bytes are no longer needed
-- (IPFS has them). Only the claim that holds the token may finish it: 0 rows means its lease ran out and the token went
-- on without this exchange.
WITH done AS (
    UPDATE tokens_s0
       SET status = 'ready',
           image_cid = :#image_cid,
           metadata_cid = :#metadata_cid,
           upload_error = NULL,
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id AND status = 'uploading'
 RETURNING token_id, upload_attempts
), dropped AS (
    DELETE FROM token_images WHERE token_id IN (SELECT token_id FROM done)
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'ipfs', 'succeeded',
       jsonb_build_object('attempt', upload_attempts, 'image_cid', CAST(:#image_cid AS text),
                          'metadata_cid', CAST(:#metadata_cid AS text), 'instance', CAST(:#lease_owner AS text))
  FROM done
