-- Which selected projects' surveys need attention first: the lowest satisfaction?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type);
--             $limit: at most this many rows.
-- Rows and columns of queries/survey_projects.sql (project × survey; a project without a survey once),
-- ordered by satisfaction (the rate, else the share of the top two levels of a complete 5-level
-- distribution: perfeval.domain.survey.survey_view's), lowest first, those without last; then as survey_projects
-- orders them (real before demo, by id). For the comparison when the selection is too large to list in full.
SELECT * FROM survey_project_rows($region, $year_from, $year_to, $category, $evaluator_type)
ORDER BY coalesce(satisfaction_rate,
                  (n_very_satisfied + n_satisfied)
                  / nullif(n_very_satisfied + n_satisfied + n_neutral + n_dissatisfied + n_very_dissatisfied, 0))
         NULLS LAST,
         data_kind = 'demo', project_id, survey_id
LIMIT $limit
