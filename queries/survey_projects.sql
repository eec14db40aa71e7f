-- What did each selected project's satisfaction survey find, and which projects have none?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × survey; a project without a survey appears once with survey_id NULL (未开展/未披露).
-- Rates as fractions; stated_valid_rate = the 有效率 the report states (figures, scope survey:<id>).
SELECT * FROM survey_project_rows($region, $year_from, $year_to, $category, $evaluator_type)
WHERE ($project_id IS NULL OR project_id = $project_id)
ORDER BY data_kind = 'demo', project_id, survey_id
