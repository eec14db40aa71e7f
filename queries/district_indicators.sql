-- How does each district (region) score on each indicator, over its projects?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $year (budget year, NULL = all); $level (1, 2 or 3).
-- One row per region_code × indicator_key (the indicator's name without a leading "项目"); code is the
-- smallest code the key has (A, B … : the report's order).
-- score_rate = Σscore / Σweight over the region's projects that give the indicator; weights and scores
-- are the report's own, else summed from the children (unknown if a child's figure is: a partial sum
-- would understate it), as in compare_indicators.sql: both read indicator_nodes, the roll-up the lake
-- derives once per version of the indicator files (queries/_indicator_nodes.sql).
WITH p AS MATERIALIZED (
    SELECT project_id, region_code
    FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE ($year IS NULL OR year(period_start) = $year)
)
SELECT p.region_code, regexp_replace(n.name, '^项目', '') AS indicator_key,
       any_value(n.name_en) AS name_en, min(n.code) AS code,
       count(DISTINCT n.project_id) AS projects,
       sum(n.weight) AS weight, sum(n.score) AS score,
       sum(n.score) / nullif(sum(n.weight), 0) AS score_rate
FROM indicator_nodes n JOIN p USING (project_id)
WHERE n.level = $level AND n.weight IS NOT NULL AND n.score IS NOT NULL
GROUP BY p.region_code, indicator_key
ORDER BY p.region_code, indicator_key
