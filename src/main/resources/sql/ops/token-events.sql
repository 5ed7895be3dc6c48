-- Everything that happened to a token, oldest first.
SELECT created_at, stage, event, detail::text AS detail FROM token_events WHERE token_id = :tokenId ORDER BY id
