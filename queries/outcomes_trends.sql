-- Which outcome series of the selected projects have several years, and their figures (the trend chart)?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $project_id (NULL = every selected project), $categories (list of catalogue categories;
--             NULL = every category), $limit (at most this many series).
-- A series is a (project, metric) with figures for two or more distinct years (perfeval.domain.outcomes.
-- trend_metrics); the first $limit series by project, category and metric, with every figure of each
-- (columns of queries/outcomes_values.sql that the chart reads), in that query's order. series = how many
-- series there are in all (the same on every row).
-- the series are found on the figures' keys alone; the wide columns are read for the series shown
WITH v AS (
    SELECT o.project_id, o.outcome_id, o.metric_key, o.year, c.category
    FROM outcomes o
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    JOIN metrics c USING (metric_key)
    WHERE ($project_id IS NULL OR o.project_id = $project_id)
      AND ($categories IS NULL OR list_contains($categories, c.category))
), keys AS (
    SELECT project_id, metric_key,
           row_number() OVER (ORDER BY project_id, min(category), metric_key) AS k,
           count(*) OVER () AS series
    FROM v
    GROUP BY project_id, metric_key
    HAVING count(DISTINCT year) >= 2
), shown AS (
    SELECT v.project_id, v.outcome_id, k.series
    FROM v JOIN keys k USING (project_id, metric_key)
    WHERE k.k <= $limit
)
SELECT o.project_id, p.short_name, p.name_en AS project_name_en, p.data_kind,
       o.outcome_id, o.metric_key, o.year, o.period_label, o.value, o.unit, o.qualifier, o.quote,
       c.name_zh, c.name_en, c.category, c.direction, s.series
FROM shown s
JOIN outcomes o USING (project_id, outcome_id)
JOIN projects p USING (project_id)
JOIN metrics c USING (metric_key)
ORDER BY o.project_id, c.category, o.metric_key, o.year NULLS FIRST, o.outcome_id
