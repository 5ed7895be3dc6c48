-- An author and the prompt their tokens are generated from, set before they mint (as the signed prompt API does).
INSERT INTO authors (wallet_address, prompt_text) VALUES (:wallet, :prompt)
    ON CONFLICT (wallet_address) DO UPDATE SET prompt_text = EXCLUDED.prompt_text
