-- An author by wallet (citext: any case finds them), without the prompt itself.
SELECT prompt_text IS NOT NULL AS has_prompt, updated_at
  FROM authors
 WHERE wallet_address = CAST(:wallet AS citext)
