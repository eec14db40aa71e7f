-- In which budget years does each region have a project the sidebar's filters select (the compare page's
-- year choice and its default)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any).
-- One row per region_code × year, year = year(period_start) as in compare_projects.sql (NULL where a
-- project has no period start).
SELECT DISTINCT region_code, year(period_start) AS year
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
ORDER BY region_code, year
