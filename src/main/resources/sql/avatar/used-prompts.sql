-- The image prompts the persona already has, so that the next one differs.
SELECT prompt FROM avatar_grids WHERE persona_key = :#persona_key AND prompt IS NOT NULL ORDER BY grid
