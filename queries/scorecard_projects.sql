-- What total score and grade does each project report, and how deep is its indicator tree?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project; reported_total_score in 分, tree_depth = indicator levels the report gives (0 = total only).
SELECT project_id, name, short_name, name_en, reported_total_score, reported_grade, tree_depth, framework,
       source, data_kind
FROM projects
WHERE $project_id IS NULL OR project_id = $project_id
ORDER BY project_id
