-- The photos of the grid already stored or known to have failed: they are not made again.
SELECT tile FROM avatar_images WHERE persona_key = :#persona_key AND grid = CAST(:#grid AS int)
