-- Which figures does each report state (derived ones to check against their inputs, facts for context)?
-- Parameters: $project_id (NULL = every visible project).
-- One row per stated figure; value in its unit (rates as fractions), qualifier = about/nearly/over/
-- greater_than when the report is vague (约/近/余/大于), else exact. Besides the figures table, a survey's
-- stated satisfaction rate is listed (kind derived, figure_id <survey_id>.satisfaction_rate) where the
-- survey gives the response counts of all five levels it can be derived from.
SELECT project_id, figure_id, kind, figure, scope, label, value, unit, coalesce(qualifier, 'exact') AS qualifier,
       quote, note
FROM figures
WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
UNION ALL
SELECT project_id, survey_id || '.satisfaction_rate', 'derived', 'satisfaction_rate', 'survey:' || survey_id,
       coalesce(name, '满意度调查') || ' 满意度', satisfaction_rate, '%', 'exact', quote, 'surveys table'
FROM surveys
WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
  AND satisfaction_rate IS NOT NULL
  AND n_very_satisfied IS NOT NULL AND n_satisfied IS NOT NULL AND n_neutral IS NOT NULL
  AND n_dissatisfied IS NOT NULL AND n_very_dissatisfied IS NOT NULL
ORDER BY 1, 2
