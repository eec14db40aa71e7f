-- What can be derived from each project's satisfaction surveys?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope (survey:<id>). Rates as fractions.
--   valid_rate         valid / issued
--   response_total     Σ responses over the five levels (很满意…不满意), where all five are given
--   satisfaction_rate  (很满意 + 较满意) / Σ responses, where all five are given
--   scale5_rate        the 5-level score (100/80/60/40/20 % per level) averaged over the responses
WITH s AS (
    SELECT *, n_very_satisfied + n_satisfied + n_neutral + n_dissatisfied + n_very_dissatisfied AS n_all
    FROM surveys WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
)
SELECT project_id, x.figure AS figure, 'survey:' || survey_id AS scope, x.value AS value, x.inputs AS inputs,
       x.inputs_zh AS inputs_zh, 'surveys: ' || survey_id AS rows, false AS approximate
FROM (
    SELECT *, unnest([
        {'figure': 'valid_rate', 'value': valid / nullif(issued, 0),
         'inputs': format('valid {} / issued {}', valid, issued),
         'inputs_zh': format('有效问卷 {} ÷ 发放问卷 {}', valid, issued)},
        {'figure': 'response_total', 'value': CAST(n_all AS DOUBLE), 'inputs': 'Σ responses of the 5 levels',
         'inputs_zh': '五个等级的人数之和'},
        {'figure': 'satisfaction_rate', 'value': (n_very_satisfied + n_satisfied) / nullif(n_all, 0),
         'inputs': format('({} + {}) / {}', n_very_satisfied, n_satisfied, n_all),
         'inputs_zh': format('（很满意 {} + 较满意 {}）÷ {}', n_very_satisfied, n_satisfied, n_all)},
        {'figure': 'scale5_rate',
         'value': (n_very_satisfied * 1.0 + n_satisfied * 0.8 + n_neutral * 0.6 + n_dissatisfied * 0.4
                   + n_very_dissatisfied * 0.2) / nullif(n_all, 0),
         'inputs': '5-level scoring 100/80/60/40/20 %', 'inputs_zh': '五等级赋分 100/80/60/40/20%'}
    ]) AS x
    FROM s
)
WHERE x.value IS NOT NULL
ORDER BY project_id, figure, scope
