-- Keeps every lease this instance holds alive while its work runs (one statement for all stages), so a
-- slow provider call never loses its token and only a holder that stops renewing loses it.
UPDATE tokens_s0
   SET lease_expires_at = now() + make_interval(secs => :leaseSeconds)
 WHERE lease_owner = :owner
