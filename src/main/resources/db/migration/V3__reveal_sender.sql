-- What the reveal stage needs to send each transaction exactly once and to recover after a crash.

-- The signed transaction as broadcast: after a crash it is sent again as is (same hash, same nonce), never
-- rebuilt.
ALTER TABLE reveal_transactions ADD COLUMN raw_transaction bytea;
ALTER TABLE reveal_transactions ADD COLUMN chain_id bigint;
-- A replacement (same nonce, higher fees) points at the transaction it replaces.
ALTER TABLE reveal_transactions ADD COLUMN replaces bigint REFERENCES reveal_transactions (id);
ALTER TABLE reveal_transactions DROP COLUMN replaced_by;
-- Tokens of an open transaction are never put in another one.
CREATE INDEX reveal_transactions_open_tokens ON reveal_transactions USING gin (token_ids)
    WHERE status IN ('pending', 'sent');

-- Reveal failures back off by attempt instead of busy-looping (a revoked keeper role, fees above the cap).
ALTER TABLE tokens_s0 ADD COLUMN reveal_attempts integer NOT NULL DEFAULT 0 CHECK (reveal_attempts >= 0);
