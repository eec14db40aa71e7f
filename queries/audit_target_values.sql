-- Which target values and actual values does each project state, and how many sub-projects has it?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope:
--   target_value / target_actual  target:<target_id>  a target's value and its actual value
--   subproject_count              total               number of sub-projects
SELECT project_id, 'target_value' AS figure, 'target:' || target_id AS scope, target_value AS value,
       printf('target %s', target_id) AS inputs, printf('目标 %s 的目标值', target_id) AS inputs_zh,
       'targets: ' || target_id AS rows, false AS approximate
FROM targets
WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source) AND target_value IS NOT NULL
UNION ALL
SELECT project_id, 'target_actual', 'target:' || target_id, actual_value,
       printf('actual of %s', target_id), printf('目标 %s 的实际值', target_id), 'targets: ' || target_id, false
FROM targets
WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source) AND actual_value IS NOT NULL
UNION ALL
SELECT project_id, 'subproject_count', 'total', CAST(count(*) AS DOUBLE), printf('%d sub-projects', count(*)),
       printf('子项目表中 %d 个', count(*)), 'subprojects: ' || string_agg(subproject_id, ', ' ORDER BY subproject_id), false
FROM subprojects
WHERE $project_id IS NULL OR project_id = $project_id
GROUP BY project_id
ORDER BY 1, 2, 3
