-- Claims waiting avatar tasks, oldest first, each under a fresh lease (see avatar_claim_tasks in V7__avatar.sql:
-- at most this instance's free places, and never more tasks in work across instances than
-- AVATAR_MAX_CONCURRENT_TASKS, the claim consumer's concurrency). A task whose holder died is claimable again once
-- the fallback poll has expired its lease.
SELECT task_key, task_id, lease_id, status, persona_count, images_per_persona, persona_description, bio_language,
       claims, cancel_requested_at IS NOT NULL AS cancel_requested
  FROM avatar_claim_tasks(:owner, :limit, :leaseSeconds)
