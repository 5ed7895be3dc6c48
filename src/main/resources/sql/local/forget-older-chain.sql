-- A freshly deployed contract numbers tokens from 1 again: the tokens, mints and transactions of an earlier
-- local chain would shadow the new ones, so the local pipeline starts over with the chain. Answers how many
-- tokens were forgotten.
WITH forgotten AS (
    DELETE FROM tokens_s0 RETURNING token_id
), mints AS (
    DELETE FROM mint_events
), transactions AS (
    DELETE FROM reveal_transactions
), checkpoints AS (
    DELETE FROM system_state WHERE key LIKE 'detection.%'
)
SELECT count(*) FROM forgotten
