-- A ready token the contract has never minted (inserted by hand, or left from a mint the chain dropped): it
-- fails alone, with the reason, instead of making every batch it is put in revert. Retrying it (once it
-- exists) sends it back to ready.
WITH failed AS (
    UPDATE tokens_s0
       SET status = 'failed', failed_stage = 'reveal', lease_id = NULL, reveal_error = left(:error, 1000)
     WHERE token_id = :tokenId AND lease_id = :leaseId AND status = 'ready'
 RETURNING token_id, reveal_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'reveal', 'failed', jsonb_build_object('attempt', reveal_attempts, 'error', left(CAST(:error AS text), 1000))
  FROM failed
