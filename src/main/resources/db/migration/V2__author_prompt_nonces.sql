-- Replay protection for signed prompt changes (POST /api/authors/prompt): a (wallet, nonce) is accepted once.
-- A row is needed only until the signed message expires (the API refuses expired messages anyway), so expired
-- rows are purged a few at a time. Not tied to authors by a foreign key: forgetting an author must not make
-- their still-valid signed messages usable again.
CREATE TABLE author_prompt_nonces (
    wallet_address text        NOT NULL CHECK (wallet_address ~ '^0x[0-9a-f]{40}$'),
    nonce          text        NOT NULL CHECK (nonce ~ '^[A-Za-z0-9_-]{8,128}$'),
    -- the expiry the wallet signed
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wallet_address, nonce)
);

CREATE INDEX author_prompt_nonces_expiry ON author_prompt_nonces (expires_at);
