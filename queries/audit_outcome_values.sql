-- What can be derived from each project's outcome figures (per metric, over its years)?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope:
--   outcome_value  metric:<key>;year:<y>  the value of one metric in one year (one row only, else none)
--   actual_total   metric:<key>           Σ values over the years
--   average_rate   metric:<key>           mean of the yearly values (e.g. a three-year average decline)
-- Values in the metric's own unit (rates as fractions). approximate = a value carries 约/近/余.
WITH o AS (
    SELECT * FROM outcomes WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
), per_year AS (
    SELECT project_id, metric_key, year,
           CASE WHEN count(*) = 1 THEN max(value) END AS value,
           bool_or(coalesce(qualifier, 'exact') <> 'exact') AS approx,
           array_to_string(list_sort(list(outcome_id)), ', ') AS ids
    FROM o WHERE year IS NOT NULL
    GROUP BY project_id, metric_key, year
), per_metric AS (
    SELECT project_id, metric_key, sum(value) AS total, avg(value) AS mean, count(*) AS n,
           bool_or(approx) AS approx,
           -- the years in order (one row per year here): a sorted list, not an ordered aggregate
           list_sort(list({'year': year, 'ids': ids, 'term': format('{:g}', value)})) AS by_year
    FROM per_year WHERE value IS NOT NULL
    GROUP BY project_id, metric_key
), per_metric_text AS (
    SELECT project_id, metric_key, total, mean, n, approx,
           array_to_string(list_transform(by_year, lambda x: x.ids), ', ') AS ids,
           array_to_string(list_transform(by_year, lambda x: x.term), ' + ') AS terms
    FROM per_metric
)
SELECT project_id, 'outcome_value' AS figure, 'metric:' || metric_key || ';year:' || year AS scope, value,
       format('outcome {} {}', metric_key, year) AS inputs, format('成效数据 {} {}年', metric_key, year) AS inputs_zh,
       'outcomes: ' || ids AS rows, approx AS approximate
FROM per_year WHERE value IS NOT NULL
UNION ALL
SELECT project_id, 'actual_total', 'metric:' || metric_key, total, format('{} = {:g}', terms, total),
       format('{} = {:g}', terms, total), 'outcomes: ' || ids, approx
FROM per_metric_text
UNION ALL
SELECT project_id, 'average_rate', 'metric:' || metric_key, mean, format('({}) / {}', terms, n),
       format('({}) ÷ {}', terms, n), 'outcomes: ' || ids, approx
FROM per_metric_text
ORDER BY 1, 2, 3
