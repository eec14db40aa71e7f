-- How does each district (region) score on each indicator, over its projects?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $year (budget year, NULL = all); $level (1, 2 or 3).
-- One row per region_code × indicator_key (the indicator's name without a leading "项目"); code is the
-- smallest code the key has (A, B … : the report's order).
-- score_rate = Σscore / Σweight over the region's projects that give the indicator; weights and scores
-- are the report's own, else summed from the children (as in compare_indicators.sql).
WITH p AS (
    SELECT project_id, region_code FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE ($year IS NULL OR year(period_start) = $year)
),
tree AS (
    SELECT * FROM indicators WHERE project_id IN (SELECT project_id FROM p)
),
l3 AS (
    SELECT project_id, code, parent_code, level, name, name_en, weight, reported_score AS score
    FROM tree WHERE level = 3
),
l2 AS (
    SELECT c2.project_id, c2.code, c2.parent_code, c2.level, c2.name, c2.name_en,
           coalesce(c2.weight, sum(c3.weight)) AS weight,
           coalesce(c2.reported_score, sum(c3.score)) AS score
    FROM tree c2
    LEFT JOIN l3 c3 ON c3.project_id = c2.project_id AND c3.parent_code = c2.code
    WHERE c2.level = 2
    GROUP BY c2.project_id, c2.code, c2.parent_code, c2.level, c2.name, c2.name_en, c2.weight, c2.reported_score
),
l1 AS (
    SELECT c1.project_id, c1.code, c1.parent_code, c1.level, c1.name, c1.name_en,
           coalesce(c1.weight, sum(c2.weight)) AS weight,
           coalesce(c1.reported_score, sum(c2.score)) AS score
    FROM tree c1
    LEFT JOIN l2 c2 ON c2.project_id = c1.project_id AND c2.parent_code = c1.code
    WHERE c1.level = 1
    GROUP BY c1.project_id, c1.code, c1.parent_code, c1.level, c1.name, c1.name_en, c1.weight, c1.reported_score
),
nodes AS (
    SELECT * FROM l1 UNION ALL SELECT * FROM l2 UNION ALL SELECT * FROM l3
)
SELECT p.region_code, regexp_replace(n.name, '^项目', '') AS indicator_key,
       any_value(n.name_en) AS name_en, min(n.code) AS code,
       count(DISTINCT n.project_id) AS projects,
       sum(n.weight) AS weight, sum(n.score) AS score,
       sum(n.score) / nullif(sum(n.weight), 0) AS score_rate
FROM nodes n JOIN p USING (project_id)
WHERE n.level = $level AND n.weight IS NOT NULL AND n.score IS NOT NULL
GROUP BY p.region_code, indicator_key
ORDER BY p.region_code, indicator_key
