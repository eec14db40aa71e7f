-- What performance targets did the selected projects set, and what was achieved against them?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per target (× year). Values in the target's unit (rates as fractions); stated_met = the report's
-- own conclusion (NULL = none); the computed verdict is perfeval.domain.outcomes.target_verdict's job.
SELECT * EXCLUDE (computed) FROM target_rows($region, $year_from, $year_to, $category, $evaluator_type)
WHERE ($project_id IS NULL OR project_id = $project_id)
ORDER BY project_id, target_id
