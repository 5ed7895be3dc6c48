-- A signed prompt change, in one statement so the nonce and the prompt are stored together or not at all:
-- the (wallet, nonce) is recorded, and only if it is new the author is created or gets the prompt. A second
-- request with the same nonce (even concurrently: it waits for the first to commit) stores nothing and
-- returns no row.
WITH used AS (
    INSERT INTO author_prompt_nonces (wallet_address, nonce, expires_at)
    VALUES (:wallet, :nonce, :expiresAt)
        ON CONFLICT (wallet_address, nonce) DO NOTHING
    RETURNING wallet_address
), author AS (
    INSERT INTO authors (wallet_address, prompt_text)
    SELECT wallet_address, :prompt FROM used
        ON CONFLICT (wallet_address) DO UPDATE SET prompt_text = EXCLUDED.prompt_text, updated_at = now()
    RETURNING prompt_text IS NOT NULL AS has_prompt, updated_at
)
SELECT has_prompt, updated_at FROM author
