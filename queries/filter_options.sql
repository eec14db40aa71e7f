-- What can the sidebar's filters choose from, among the projects this viewer may see?
-- Parameters: none (the data gate applies the viewer's scope).
-- One row per region × category × evaluator type, with the years the projects span.
SELECT province, city, district, region_code, category, evaluator_type,
       min(year(period_start)) AS year_min, max(year(period_end)) AS year_max,
       count(*) AS projects,
       bool_or(data_kind = 'demo') AS has_demo
FROM projects
GROUP BY ALL
ORDER BY region_code, category, evaluator_type
