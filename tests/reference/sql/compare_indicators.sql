-- How did each selected project score on each indicator of its tree (for side-by-side comparison)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $level (1, 2 or 3; NULL = every level).
-- One row per project × indicator node. weight and score are the report's own where it states them,
-- else the sum of the children (derived = true), as in project_level1.sql. indicator_key is the name
-- without a leading "项目" (项目决策 and 决策 are the same dimension), the key comparisons match on.
WITH p AS (
    SELECT project_id FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
),
tree AS (
    SELECT * FROM indicators WHERE project_id IN (SELECT project_id FROM p)
),
l3 AS (
    SELECT project_id, code, parent_code, level, name, name_en, sort_order,
           weight, reported_score AS score, false AS derived
    FROM tree WHERE level = 3
),
l2 AS (
    SELECT c2.project_id, c2.code, c2.parent_code, c2.level, c2.name, c2.name_en, c2.sort_order,
           coalesce(c2.weight, sum(c3.weight)) AS weight,
           coalesce(c2.reported_score, sum(c3.score)) AS score,
           (c2.weight IS NULL AND count(c3.code) > 0) AS derived
    FROM tree c2
    LEFT JOIN l3 c3 ON c3.project_id = c2.project_id AND c3.parent_code = c2.code
    WHERE c2.level = 2
    GROUP BY c2.project_id, c2.code, c2.parent_code, c2.level, c2.name, c2.name_en, c2.sort_order, c2.weight, c2.reported_score
),
l1 AS (
    SELECT c1.project_id, c1.code, c1.parent_code, c1.level, c1.name, c1.name_en, c1.sort_order,
           coalesce(c1.weight, sum(c2.weight)) AS weight,
           coalesce(c1.reported_score, sum(c2.score)) AS score,
           (c1.weight IS NULL AND count(c2.code) > 0) OR coalesce(bool_or(c2.derived), false) AS derived
    FROM tree c1
    LEFT JOIN l2 c2 ON c2.project_id = c1.project_id AND c2.parent_code = c1.code
    WHERE c1.level = 1
    GROUP BY c1.project_id, c1.code, c1.parent_code, c1.level, c1.name, c1.name_en, c1.sort_order, c1.weight, c1.reported_score
),
nodes AS (
    SELECT * FROM l1 UNION ALL SELECT * FROM l2 UNION ALL SELECT * FROM l3
)
SELECT project_id, code, parent_code, level, name, name_en,
       regexp_replace(name, '^项目', '') AS indicator_key,
       weight, score, score / nullif(weight, 0) AS score_rate, derived, sort_order
FROM nodes
WHERE ($level IS NULL OR level = $level)
ORDER BY project_id, level, coalesce(sort_order, 0), code
