-- Which outcome categories do the selected projects report, with how many figures and projects each?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per catalogue category of the metrics reported (NULL = a metric not in the catalogue): figures =
-- outcome rows, projects = distinct projects. all_figures / all_projects: over every category (the same on
-- every row). No row when no selected project reports an outcome.
WITH v AS (
    SELECT o.project_id, c.category
    FROM outcomes o
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    LEFT JOIN metrics c USING (metric_key)
    WHERE ($project_id IS NULL OR o.project_id = $project_id)
)
SELECT category, count(*) AS figures, count(DISTINCT project_id) AS projects,
       (SELECT count(*) FROM v) AS all_figures,
       (SELECT count(DISTINCT project_id) FROM v) AS all_projects
FROM v
GROUP BY category
ORDER BY category NULLS LAST
