-- What did each selected project's satisfaction survey find, and which projects have none?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × survey; a project without a survey appears once with survey_id NULL (未开展/未披露).
-- Rates as fractions; stated_valid_rate = the 有效率 the report states (figures, scope survey:<id>).
SELECT p.project_id, p.short_name, p.name, p.name_en, p.data_kind,
       s.survey_id, s.name AS survey_name, s.conducted_by, s.respondents, s.questions, s.issued, s.valid,
       s.awareness_rate, s.satisfaction_rate, s.satisfaction_score, s.score_qualifier,
       s.n_very_satisfied, s.n_satisfied, s.n_neutral, s.n_dissatisfied, s.n_very_dissatisfied,
       s.level_text, s.quote, s.note,
       f.value AS stated_valid_rate
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN surveys s USING (project_id)
LEFT JOIN figures f ON f.project_id = p.project_id AND f.kind = 'derived' AND f.figure = 'valid_rate'
                   AND f.scope = 'survey:' || s.survey_id
WHERE ($project_id IS NULL OR p.project_id = $project_id)
ORDER BY p.data_kind = 'demo', p.project_id, s.survey_id
