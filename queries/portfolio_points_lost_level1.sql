-- Where do the selected projects lose points, per level-1 dimension (决策 / 过程 / 产出 / 效益 …)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per dimension, matched across frameworks by English name (项目决策 and 决策 are both Decision):
-- dimension (the name most projects use; of equally common names the first in code-point order),
-- dimension_en, projects (with a known score), weight and points_lost (分, summed over those
-- projects), lost_per_project (分), score_rate (fraction). Largest loss first; ties in the reports' order.
-- A node's weight and score are the report's own where stated, else the sum of its children's — and
-- unknown if any child's is unknown (a partial sum would understate the loss).
-- Only the projects whose report leaves a level-1 or level-2 subtotal out (as 福田's does) are summed from
-- below; the others' level-1 rows are read as they are. Grouping a node with its children in one pass
-- replaces the joins of node to child (tests/unit/reference_sql/ keeps the joined form; the two agree).
-- Projects are keyed by their number pk within the query (numbered_projects in _views.sql: faster joins),
-- numbered once (MATERIALIZED) however often the tree below is read.
WITH p AS MATERIALIZED (
    SELECT pk, project_id FROM numbered_projects($region, $year_from, $year_to, $category, $evaluator_type)
), t AS NOT MATERIALIZED (
    SELECT p.pk, i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score
    FROM indicators i
    JOIN p ON p.project_id = i.project_id
), rolled AS NOT MATERIALIZED (
    SELECT DISTINCT pk FROM t WHERE level IN (1, 2) AND (weight IS NULL OR reported_score IS NULL)
), g2 AS (
    -- one group per level-2 node: its own row and its level-3 children; level-3 rows under any other
    -- parent (a level-1 node) form a group of that parent's without a level-2 row
    SELECT pk,
           CASE WHEN level = 2 THEN code ELSE parent_code END AS k,
           count(*) FILTER (WHERE level = 2) AS is_l2,
           any_value(parent_code) FILTER (WHERE level = 2) AS l2_parent,
           any_value(weight) FILTER (WHERE level = 2) AS own_w,
           any_value(reported_score) FILTER (WHERE level = 2) AS own_s,
           count(*) FILTER (WHERE level = 3) AS n,
           count(weight) FILTER (WHERE level = 3) AS nw,
           count(reported_score) FILTER (WHERE level = 3) AS ns,
           sum(weight) FILTER (WHERE level = 3) AS sw,
           sum(reported_score) FILTER (WHERE level = 3) AS ss
    FROM t SEMI JOIN rolled USING (pk)
    WHERE level IN (2, 3)
    GROUP BY ALL
), c1 AS (
    -- what the children of each level-1 node add up to: a level-2 child counts once (its own figure or
    -- its children's sum), level-3 children directly under it as counted above
    SELECT pk, l2_parent AS k, 1 AS n,
           (coalesce(own_w, CASE WHEN n > 0 AND nw = n THEN sw END) IS NOT NULL)::INT AS nw,
           (coalesce(own_s, CASE WHEN n > 0 AND ns = n THEN ss END) IS NOT NULL)::INT AS ns,
           coalesce(own_w, CASE WHEN n > 0 AND nw = n THEN sw END) AS sw,
           coalesce(own_s, CASE WHEN n > 0 AND ns = n THEN ss END) AS ss
    FROM g2 WHERE is_l2 > 0
    UNION ALL
    SELECT pk, k, n, nw, ns, sw, ss FROM g2 WHERE is_l2 = 0
), n1 AS (
    SELECT t.pk, t.code, t.name, t.name_en,
           lower(trim(coalesce(nullif(t.name_en, ''), t.name))) AS dim_key,
           coalesce(t.weight, CASE WHEN sum(c.n) > 0 AND sum(c.nw) = sum(c.n) THEN sum(c.sw) END) AS w,
           coalesce(t.reported_score, CASE WHEN sum(c.n) > 0 AND sum(c.ns) = sum(c.n) THEN sum(c.ss) END) AS s
    FROM t LEFT JOIN c1 c ON c.pk = t.pk AND c.k = t.code
    WHERE t.level = 1
    GROUP BY t.pk, t.code, t.name, t.name_en, t.weight, t.reported_score
)
SELECT mode(name ORDER BY name) AS dimension,
       coalesce(min(name_en), mode(name ORDER BY name)) AS dimension_en,
       count(DISTINCT pk) AS projects,
       sum(w) AS weight,
       round(sum(w - s), 4) AS points_lost,
       round(sum(w - s) / count(DISTINCT pk), 4) AS lost_per_project,
       CASE WHEN sum(w) > 0 THEN 1 - sum(w - s) / sum(w) END AS score_rate
FROM n1
WHERE w IS NOT NULL AND s IS NOT NULL
GROUP BY dim_key
ORDER BY points_lost DESC, min(code), dimension
