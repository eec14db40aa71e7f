-- Where do the selected projects lose points, per level-1 dimension (决策 / 过程 / 产出 / 效益 …)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per dimension, matched across frameworks by English name (项目决策 and 决策 are both Decision):
-- dimension, dimension_en, projects (with a known score), weight and points_lost (分, summed over those
-- projects), lost_per_project (分), score_rate (fraction). Largest loss first; ties in the reports' order.
-- A node's weight and score are the report's own where stated, else the sum of its children's — and
-- unknown if any child's is unknown (a partial sum would understate the loss).
WITH t AS (
    SELECT i.project_id, i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score
    FROM indicators i
    SEMI JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
        ON p.project_id = i.project_id
), n3 AS (
    SELECT project_id, code, parent_code, weight AS w, reported_score AS s FROM t WHERE level = 3
), n2 AS (
    SELECT t.project_id, t.code, t.parent_code,
           coalesce(t.weight, CASE WHEN count(n3.code) > 0 AND count(n3.w) = count(n3.code) THEN sum(n3.w) END) AS w,
           coalesce(t.reported_score, CASE WHEN count(n3.code) > 0 AND count(n3.s) = count(n3.code) THEN sum(n3.s) END) AS s
    FROM t LEFT JOIN n3 ON n3.project_id = t.project_id AND n3.parent_code = t.code
    WHERE t.level = 2
    GROUP BY t.project_id, t.code, t.parent_code, t.weight, t.reported_score
), children AS (
    SELECT project_id, parent_code, w, s FROM n2
    UNION ALL
    SELECT n3.project_id, n3.parent_code, n3.w, n3.s FROM n3
    SEMI JOIN t ON t.project_id = n3.project_id AND t.code = n3.parent_code AND t.level = 1
), n1 AS (
    SELECT t.project_id, t.code, t.name, t.name_en,
           lower(trim(coalesce(nullif(t.name_en, ''), t.name))) AS dim_key,
           coalesce(t.weight, CASE WHEN count(c.parent_code) > 0 AND count(c.w) = count(c.parent_code) THEN sum(c.w) END) AS w,
           coalesce(t.reported_score, CASE WHEN count(c.parent_code) > 0 AND count(c.s) = count(c.parent_code) THEN sum(c.s) END) AS s
    FROM t LEFT JOIN children c ON c.project_id = t.project_id AND c.parent_code = t.code
    WHERE t.level = 1
    GROUP BY t.project_id, t.code, t.name, t.name_en, t.weight, t.reported_score
)
SELECT mode(name) AS dimension,
       coalesce(any_value(name_en) FILTER (WHERE name_en IS NOT NULL), mode(name)) AS dimension_en,
       count(DISTINCT project_id) AS projects,
       sum(w) AS weight,
       round(sum(w - s), 4) AS points_lost,
       round(sum(w - s) / count(DISTINCT project_id), 4) AS lost_per_project,
       CASE WHEN sum(w) > 0 THEN 1 - sum(w - s) / sum(w) END AS score_rate
FROM n1
WHERE w IS NOT NULL AND s IS NOT NULL
GROUP BY dim_key
ORDER BY points_lost DESC, min(code), dimension
