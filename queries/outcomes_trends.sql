-- Which outcome series of the selected projects have several years, and their figures (the trend chart)?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $project_id (NULL = every selected project), $categories (list of catalogue categories;
--             NULL = every category), $limit (at most this many series).
-- A series is a (project, metric) with figures for two or more distinct years (perfeval.domain.outcomes.
-- trend_metrics); the first $limit series by project, category and metric, with every figure of each
-- (columns of queries/outcomes_values.sql that the chart reads), in that query's order. series = how many
-- series there are in all (the same on every row).
WITH v AS (
    SELECT o.project_id, p.short_name, p.name_en AS project_name_en, p.data_kind,
           o.outcome_id, o.metric_key, o.year, o.period_label, o.value, o.unit, o.qualifier, o.quote,
           c.name_zh, c.name_en, c.category, c.direction
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
)
SELECT v.*, k.series
FROM v JOIN keys k USING (project_id, metric_key)
WHERE k.k <= $limit
ORDER BY v.project_id, v.category, v.metric_key, v.year NULLS FIRST, v.outcome_id
