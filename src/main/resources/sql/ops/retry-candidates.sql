-- Tokens a bulk retry would take: failed ones (by the stage that failed them), or ready ones waiting after a
-- reveal failure; optionally only those whose error contains :error (a LIKE pattern, escaped by the caller).
SELECT token_id
  FROM tokens_s0
 WHERE status = :status
   AND (status = 'failed' OR reveal_error IS NOT NULL)
   AND (CAST(:stage AS text) IS NULL
        OR CASE WHEN status = 'ready' THEN 'reveal' ELSE coalesce(failed_stage, 'generation') END = :stage)
   AND (CAST(:error AS text) IS NULL
        OR concat_ws(' ', generation_error, upload_error, reveal_error) ILIKE '%' || :error || '%')
 ORDER BY token_id
 LIMIT :limit
