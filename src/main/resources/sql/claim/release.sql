-- Lets go of a token whose work ended without a stage deciding its fate (an unexpected failure): it goes
-- back to its queue after a pause instead of staying held, and its attempt stays counted.
UPDATE tokens_s0
   SET status = glisk_queue_status(status), lease_owner = NULL, lease_expires_at = NULL,
       next_attempt_at = now() + make_interval(secs => :delaySeconds)
 WHERE token_id = :tokenId AND lease_owner = :owner
