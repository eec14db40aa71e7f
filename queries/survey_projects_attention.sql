-- Which selected projects' surveys need attention first: the lowest satisfaction?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type);
--             $limit: at most this many rows.
-- Rows and columns of queries/survey_projects.sql (project × survey; a project without a survey once),
-- ordered by satisfaction (the rate, else the share of the top two levels of a complete 5-level
-- distribution: perfeval.domain.survey.survey_view's), lowest first, those without last; then as survey_projects
-- orders them (real before demo, by id). For the comparison when the selection is too large to list in full.
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
ORDER BY coalesce(s.satisfaction_rate,
                  (s.n_very_satisfied + s.n_satisfied)
                  / nullif(s.n_very_satisfied + s.n_satisfied + s.n_neutral + s.n_dissatisfied
                           + s.n_very_dissatisfied, 0)) NULLS LAST,
         p.data_kind = 'demo', p.project_id, s.survey_id
LIMIT $limit
