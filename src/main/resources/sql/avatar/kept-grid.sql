-- The grid picture kept from an earlier attempt.
SELECT grid_png FROM avatar_grids WHERE persona_key = :#persona_key AND grid = CAST(:#grid AS int)
