-- Which grade bands are there (grade and its lower bound, per band set)?
-- Parameters: none.
-- One row per band set × grade, highest bound first; min_score in 分, inclusive.
SELECT band_set, grade, name_en, min_score
FROM grade_bands
ORDER BY band_set, min_score DESC
