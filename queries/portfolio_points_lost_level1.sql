-- Where do the selected projects lose points, per level-1 dimension (决策 / 过程 / 产出 / 效益 …)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per dimension, matched across frameworks by English name (项目决策 and 决策 are both Decision):
-- dimension (the name most projects use; of equally common names the first in code-point order),
-- dimension_en, projects (with a known score), weight and points_lost (分, summed over those
-- projects), lost_per_project (分), score_rate (fraction). Largest loss first; ties in the reports' order.
-- A node's weight and score are the report's own where stated, else the sum of its children's — and
-- unknown if any child's is unknown (a partial sum would understate the loss): indicator_nodes, the
-- roll-up the lake derives once per version of the indicator files (queries/_indicator_nodes.sql).
WITH p AS MATERIALIZED (
    SELECT project_id FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
), n1 AS (
    SELECT project_id, code, name, name_en, lower(trim(coalesce(nullif(name_en, ''), name))) AS dim_key,
           weight AS w, score AS s
    FROM indicator_nodes SEMI JOIN p USING (project_id)
    WHERE level = 1
)
SELECT mode(name ORDER BY name) AS dimension,
       coalesce(min(name_en), mode(name ORDER BY name)) AS dimension_en,
       count(DISTINCT project_id) AS projects,
       sum(w) AS weight,
       round(sum(w - s), 4) AS points_lost,
       round(sum(w - s) / count(DISTINCT project_id), 4) AS lost_per_project,
       CASE WHEN sum(w) > 0 THEN 1 - sum(w - s) / sum(w) END AS score_rate
FROM n1
WHERE w IS NOT NULL AND s IS NOT NULL
GROUP BY dim_key
ORDER BY points_lost DESC, min(code), dimension
