-- How much was budgeted, adjusted, received and spent in each year of each selected project?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × year. Amounts in 万元 (NULL where the report gives none, never 0);
-- sums over sub-projects and fund sources follow the "per sub-project or whole project" rule.
SELECT b.project_id, p.short_name, p.data_kind, b.year,
       sum(b.initial_budget) AS initial_budget,
       sum(b.adjusted_budget) AS adjusted_budget,
       coalesce(sum(b.adjusted_budget), sum(b.initial_budget)) AS budget,
       sum(b.estimated_investment) AS estimated_investment,
       sum(b.received) AS received,
       sum(b.spent) AS spent,
       max(b.as_of) AS as_of
FROM budget b
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
WHERE ($project_id IS NULL OR b.project_id = $project_id)
GROUP BY ALL
ORDER BY b.project_id, b.year
