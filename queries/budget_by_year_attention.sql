-- Which selected projects' years need attention first: the lowest execution rates of a year?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $limit: at most this many rows.
-- Rows and columns of queries/budget_by_year.sql (one per project × year), ordered by that year's execution
-- rate spent / received (lowest first; not reported or nothing received last), then project and year.
-- For the by-year table when the selection has too many project-years to list in full.
SELECT * FROM budget_year_rows($region, $year_from, $year_to, $category, $evaluator_type)
ORDER BY CASE WHEN received > 0 THEN spent / received
              WHEN received IS NULL AND evaluator_type = '自评' AND budget > 0 THEN spent / budget END NULLS LAST,
         project_id, year
LIMIT $limit
