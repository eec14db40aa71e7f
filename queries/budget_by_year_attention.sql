-- Which selected projects' years need attention first: the lowest execution rates of a year?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $limit: at most this many rows.
-- Rows and columns of queries/budget_by_year.sql (one per project × year), ordered by that year's execution
-- rate spent / received (lowest first; not reported or nothing received last), then project and year.
-- For the by-year table when the selection has too many project-years to list in full.
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
GROUP BY ALL
ORDER BY CASE WHEN sum(b.received) > 0 THEN sum(b.spent) / sum(b.received) END NULLS LAST, b.project_id, b.year
LIMIT $limit
