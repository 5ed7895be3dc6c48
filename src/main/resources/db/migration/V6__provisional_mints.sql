-- Reorg-safe detection. The webhook reports a mint as soon as it is mined, before it is DETECTION_CONFIRMATIONS
-- deep, and the chain may still drop it or mine it again elsewhere (other block, other token ids). Such a mint is
-- kept here as 'provisional' and has no tokens: tokens_s0 is the paid stages' queue, so it only ever holds tokens
-- of confirmed mints. The log poller's view of confirmed blocks makes a mint 'confirmed' (its block, token range
-- and author win over what the webhook said) and creates its tokens. A provisional mint that the poller does not
-- find once it has read past its block, or that the webhook reports removed, becomes 'removed': the row stays,
-- with when and by whom, as the audit trail of the reorg.
ALTER TABLE mint_events
    -- rows from before this migration (and rows written by hand) were stored as final: confirmed
    ADD COLUMN status       text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('provisional', 'confirmed', 'removed')),
    ADD COLUMN confirmed_at timestamptz,
    -- kept if the mint comes back later (mined again with the same log index): its history stays readable
    ADD COLUMN removed_at   timestamptz,
    ADD COLUMN removed_by   text CHECK (removed_by IN ('webhook', 'poller')),
    ADD CHECK (status <> 'removed' OR (removed_at IS NOT NULL AND removed_by IS NOT NULL));

UPDATE mint_events SET confirmed_at = detected_at;

-- The log poller looks for provisional mints in the blocks it has read, on every range: only the few of them
-- waiting for confirmations are indexed.
CREATE INDEX mint_events_provisional ON mint_events (block_number) WHERE status = 'provisional';
