-- What do each project's outputs (deliverables, build items, posts) add up to?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope (scope: total, subproject:<id>, output_group:<group>).
--   planned_total / actual_total  Σ planned / Σ actual
--   completion_rate               Σ actual / Σ planned over the items giving both (a fraction)
--   output_count                  number of items
--   completed_count, not_started_count, accepted_count, not_accepted_count
--                                 items whose status reads 已完成…, 未开工…, 已(初步)验收/验收合格, 未(初步)验收
-- approximate = some item carries a qualifier (约/近/余).
WITH o AS (
    SELECT * FROM outputs WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
), g AS (
    SELECT project_id,
           CASE WHEN grouping(subproject_id) = 0 THEN 'subproject:' || subproject_id
                WHEN grouping(group_name) = 0 THEN 'output_group:' || group_name
                ELSE 'total' END AS scope,
           sum(planned) AS planned, sum(actual) AS actual,
           sum(CASE WHEN planned IS NOT NULL AND actual IS NOT NULL THEN actual END) AS actual_both,
           sum(CASE WHEN planned IS NOT NULL AND actual IS NOT NULL THEN planned END) AS planned_both,
           count(*) AS n,
           count(*) FILTER (WHERE status LIKE '已完成%') AS completed,
           count(*) FILTER (WHERE status LIKE '未开工%') AS not_started,
           count(*) FILTER (WHERE regexp_matches(status, '已(初步)?验收|验收(结论为)?合格')) AS accepted,
           count(*) FILTER (WHERE regexp_matches(status, '未(组织)?(初步)?验收')) AS not_accepted,
           count(status) AS n_status,
           bool_or(coalesce(qualifier, 'exact') <> 'exact') AS approx,
           string_agg(output_id, ', ' ORDER BY output_id) AS ids
    FROM o
    GROUP BY GROUPING SETS ((project_id), (project_id, subproject_id), (project_id, group_name))
    HAVING NOT (grouping(subproject_id) = 0 AND subproject_id IS NULL)
       AND NOT (grouping(group_name) = 0 AND group_name IS NULL)
)
SELECT project_id, x.figure AS figure, scope, x.value AS value, x.inputs AS inputs, x.inputs_zh AS inputs_zh,
       'outputs: ' || ids AS rows, approx AS approximate
FROM (
    SELECT *, unnest([
        {'figure': 'planned_total', 'value': planned, 'inputs': printf('Σ planned of %d items', n),
         'inputs_zh': printf('%d 项计划数之和', n)},
        {'figure': 'actual_total', 'value': actual, 'inputs': printf('Σ actual of %d items', n),
         'inputs_zh': printf('%d 项实际数之和', n)},
        {'figure': 'completion_rate', 'value': actual_both / nullif(planned_both, 0),
         'inputs': format('Σ actual {} / Σ planned {}', actual_both, planned_both),
         'inputs_zh': format('实际数之和 {} ÷ 计划数之和 {}', actual_both, planned_both)},
        {'figure': 'output_count', 'value': CAST(n AS DOUBLE), 'inputs': printf('%d items', n),
         'inputs_zh': printf('%d 项', n)},
        {'figure': 'completed_count', 'value': CASE WHEN n_status > 0 THEN CAST(completed AS DOUBLE) END,
         'inputs': printf('%d items with status 已完成…', completed),
         'inputs_zh': printf('状态为“已完成”的 %d 项', completed)},
        {'figure': 'not_started_count', 'value': CASE WHEN n_status > 0 THEN CAST(not_started AS DOUBLE) END,
         'inputs': printf('%d items with status 未开工…', not_started),
         'inputs_zh': printf('状态为“未开工”的 %d 项', not_started)},
        {'figure': 'accepted_count', 'value': CASE WHEN n_status > 0 THEN CAST(accepted AS DOUBLE) END,
         'inputs': printf('%d items with status 已(初步)验收/验收合格', accepted),
         'inputs_zh': printf('状态为“已（初步）验收”的 %d 项', accepted)},
        {'figure': 'not_accepted_count', 'value': CASE WHEN n_status > 0 THEN CAST(not_accepted AS DOUBLE) END,
         'inputs': printf('%d items with status 未(初步)验收', not_accepted),
         'inputs_zh': printf('状态为“未（初步）验收”的 %d 项', not_accepted)}
    ]) AS x
    FROM g
)
WHERE x.value IS NOT NULL
ORDER BY project_id, figure, scope
