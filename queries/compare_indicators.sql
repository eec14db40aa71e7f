-- How did each selected project score on each indicator of its tree (for side-by-side comparison)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $level (1, 2 or 3; NULL = every level).
-- One row per project × indicator node. weight and score are the report's own where it states them,
-- else the sum of the children (derived = true), as in project_level1.sql; a sum with a child's figure
-- unknown is unknown (a partial sum would understate it). indicator_key is the name without a leading
-- "项目" (项目决策 and 决策 are the same dimension), the key comparisons match on.
-- The sums come from indicator_nodes, the roll-up the lake derives once per version of the indicator
-- files (queries/_indicator_nodes.sql; docs/performance.md, finding 14).
WITH p AS MATERIALIZED (
    SELECT project_id FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
)
SELECT n.project_id, n.code, n.parent_code, n.level, n.name, n.name_en,
       regexp_replace(n.name, '^项目', '') AS indicator_key,
       n.weight, n.score, n.score / nullif(n.weight, 0) AS score_rate, n.derived, n.sort_order
FROM indicator_nodes n SEMI JOIN p USING (project_id)
WHERE $level IS NULL OR n.level = $level
ORDER BY n.project_id, n.level, coalesce(n.sort_order, 0), n.code
