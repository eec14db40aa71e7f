-- How much was budgeted, adjusted, received and spent in each year of each selected project?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × year. Amounts in 万元 (NULL where the report gives none, never 0);
-- sums over sub-projects and fund sources follow the "per sub-project or whole project" rule.
SELECT * FROM budget_year_rows($region, $year_from, $year_to, $category, $evaluator_type)
WHERE ($project_id IS NULL OR project_id = $project_id)
ORDER BY project_id, year
