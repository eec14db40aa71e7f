-- Which selected projects report no outcome figure at all?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $project_id (NULL = every selected project), $limit (at most this many names).
-- One row per distinct short name of a selected project none of whose figures are in outcomes (a name
-- shared with a project that has figures is not listed), by name; names = how many there are in all.
WITH sel AS (
    SELECT p.project_id, p.short_name
    FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
    WHERE ($project_id IS NULL OR p.project_id = $project_id)
), with_figures AS (
    SELECT DISTINCT s.short_name FROM sel s SEMI JOIN outcomes o USING (project_id)
    WHERE s.short_name IS NOT NULL
), names AS (
    SELECT DISTINCT short_name FROM sel
    WHERE short_name IS NOT NULL AND short_name NOT IN (SELECT short_name FROM with_figures)
)
SELECT short_name, count(*) OVER () AS names
FROM names
ORDER BY short_name
LIMIT $limit
