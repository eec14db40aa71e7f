-- How many of the selected projects' surveys give figures, only a score, only words, or none at all?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per status over the rows of queries/survey_projects.sql (project × survey; a project without a
-- survey counts once as none), with perfeval.domain.survey.survey_view's rule: figures = a satisfaction rate, or a
-- complete 5-level distribution with answers; else score = a score; else conclusion = words; else none.
WITH r AS (
    SELECT s.survey_id, s.satisfaction_rate, s.satisfaction_score, s.level_text,
           s.n_very_satisfied, s.n_satisfied, s.n_neutral, s.n_dissatisfied, s.n_very_dissatisfied
    FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
    LEFT JOIN surveys s USING (project_id)
    LEFT JOIN figures f ON f.project_id = p.project_id AND f.kind = 'derived' AND f.figure = 'valid_rate'
                       AND f.scope = 'survey:' || s.survey_id
    WHERE ($project_id IS NULL OR p.project_id = $project_id)
), rated AS (
    SELECT *,
           n_very_satisfied + n_satisfied + n_neutral + n_dissatisfied + n_very_dissatisfied AS answers
    FROM r
)
SELECT CASE WHEN survey_id IS NULL THEN 'none'
            WHEN satisfaction_rate IS NOT NULL OR answers > 0 THEN 'figures'
            WHEN satisfaction_score IS NOT NULL THEN 'score'
            WHEN level_text IS NOT NULL THEN 'conclusion'
            ELSE 'none' END AS status,
       count(*) AS surveys
FROM rated
GROUP BY ALL
ORDER BY status
