-- How much did the selected projects budget, receive and spend per year, all projects together?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any).
-- One row per year: the sums of queries/budget_by_year.sql's project × year rows. A measure's total is
-- given only where every project of that year reports it, else NULL (not reported: a sum that silently
-- leaves a project out reads as a smaller figure) — perfeval.domain.budget.totals_by_year's rule. projects = how
-- many projects that year; project_years / all_projects = project × year rows and distinct projects over
-- every year (the same on every row). Amounts in 万元.
WITH py AS (
    SELECT b.project_id, b.year,
           sum(b.initial_budget) AS initial_budget,
           sum(b.adjusted_budget) AS adjusted_budget,
           coalesce(sum(b.adjusted_budget), sum(b.initial_budget)) AS budget,
           sum(b.estimated_investment) AS estimated_investment,
           sum(b.received) AS received,
           sum(b.spent) AS spent
    FROM budget b
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    GROUP BY b.project_id, b.year
)
SELECT year,
       complete_sum(initial_budget, count(*)) AS initial_budget,
       complete_sum(adjusted_budget, count(*)) AS adjusted_budget,
       complete_sum(budget, count(*)) AS budget,
       complete_sum(estimated_investment, count(*)) AS estimated_investment,
       complete_sum(received, count(*)) AS received,
       complete_sum(spent, count(*)) AS spent,
       count(DISTINCT project_id) AS projects,
       sum(count(*)) OVER () AS project_years,
       (SELECT count(DISTINCT project_id) FROM py) AS all_projects,
       'all' AS project_id, '' AS short_name
FROM py
GROUP BY year
ORDER BY year
