-- A demo mint's author, with the prompt the demo request gave (local mode only: the real way for an author to
-- set a prompt is the signed POST /api/authors/prompt).
INSERT INTO authors (wallet_address, prompt_text) VALUES (:wallet, :prompt)
    ON CONFLICT (wallet_address) DO UPDATE SET prompt_text = EXCLUDED.prompt_text, updated_at = now()
