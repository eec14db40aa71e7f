-- Which plain figures does one project's report state that fit no other table (figures of kind 'fact')?
-- Parameters: $project_id.
-- One row per figure (none if the project is not visible to this viewer), by figure_id: the report's label,
-- value, unit, qualifier (约 / 近 / 余 / 大于), scope and the report's words.
SELECT figure_id, figure, scope, label, value, unit, qualifier, quote, note
FROM figures
WHERE project_id = $project_id AND kind = 'fact'
ORDER BY figure_id
