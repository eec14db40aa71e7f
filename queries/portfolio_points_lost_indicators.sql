-- Which indicators lose the selected projects the most points (leaves below level 1, matched by name)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per indicator name: indicator, indicator_en, dimension (its level-1 ancestor's name; the most common
-- one, of equally common names the first in code-point order), projects,
-- weight and points_lost (分, summed over the projects that state both), score_rate (fraction).
-- Largest loss first. A level-1 node without children (天津) is a dimension, not an indicator here.
-- Leaves and their dimensions come from indicator_nodes, the roll-up the lake derives once per version of
-- the indicator files (queries/_indicator_nodes.sql); a leaf's figures are the report's own.
WITH p AS MATERIALIZED (
    SELECT project_id FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
)
SELECT name AS indicator,
       coalesce(min(name_en), name) AS indicator_en,
       mode(dimension ORDER BY dimension) AS dimension,
       count(DISTINCT project_id) AS projects,
       sum(own_weight) AS weight,
       round(sum(own_weight - own_score), 4) AS points_lost,
       CASE WHEN sum(own_weight) > 0 THEN 1 - sum(own_weight - own_score) / sum(own_weight) END AS score_rate
FROM indicator_nodes n SEMI JOIN p USING (project_id)
WHERE is_leaf AND parent_code IS NOT NULL AND own_weight IS NOT NULL AND own_score IS NOT NULL
GROUP BY name
ORDER BY points_lost DESC, indicator
