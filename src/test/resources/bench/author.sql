-- The author every benchmark token is generated for (its prompt is what the simulator draws).
INSERT INTO authors (wallet_address, prompt_text)
VALUES ('0x00000000000000000000000000000000000be4c4', 'a lighthouse at dusk, oil on canvas')
    ON CONFLICT (wallet_address) DO UPDATE SET prompt_text = EXCLUDED.prompt_text
RETURNING author_id
