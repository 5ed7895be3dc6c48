-- The attempts each token has spent so far, per stage.
SELECT token_id, generation_attempts, upload_attempts, reveal_attempts FROM tokens_s0
