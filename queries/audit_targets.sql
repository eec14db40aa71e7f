-- Which performance targets state both a target value and an actual value, and what does the report conclude?
-- Parameters: $project_id (NULL = every visible project).
-- One row per target (× year); values in the target's unit (rates as fractions); stated_met NULL = no conclusion.
SELECT project_id, target_id, year, name, unit, operator, target_value, actual_value, stated_met,
       indicator_code, target_text, actual_text
FROM targets
WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
ORDER BY project_id, target_id
