-- The image bytes the generation stage kept, if any.
SELECT content_type, bytes FROM token_images WHERE token_id = :#token_id
