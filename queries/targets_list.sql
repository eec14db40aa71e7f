-- What performance targets did the selected projects set, and what was achieved against them?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per target (× year). Values in the target's unit (rates as fractions); stated_met = the report's
-- own conclusion (NULL = none); the computed verdict is perfeval.domain.outcomes.target_verdict's job.
SELECT t.project_id, p.short_name, p.data_kind, t.target_id, t.subproject_id, t.year, t.category, t.name,
       t.unit, t.operator, t.target_value, t.target_text, t.actual_value, t.actual_text, t.stated_met,
       t.indicator_code, t.note
FROM targets t
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
WHERE ($project_id IS NULL OR t.project_id = $project_id)
ORDER BY t.project_id, t.target_id
