-- Which indicators lose the selected projects the most points (leaves below level 1, matched by name)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per indicator name: indicator, indicator_en, dimension (its level-1 ancestor's name; the most common
-- one, of equally common names the first in code-point order), projects,
-- weight and points_lost (分, summed over the projects that state both), score_rate (fraction).
-- Largest loss first. A level-1 node without children (天津) is a dimension, not an indicator here.
-- Projects are keyed by their number pk within the query, numbered once (MATERIALIZED) however often the
-- tree below is read. (The query used the macro numbered_projects for that, removed with finding 14 of
-- docs/performance.md; its body is inlined here.)
WITH p AS MATERIALIZED (
    SELECT row_number() OVER () AS pk, project_id
    FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
), t AS (
    SELECT p.pk, i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score
    FROM indicators i
    JOIN p ON p.project_id = i.project_id
), leaf AS (
    SELECT * FROM t
    WHERE parent_code IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM t c WHERE c.pk = t.pk AND c.parent_code = t.code)
), placed AS (
    -- the level-1 ancestor: the parent, or the parent's parent (levels go 1–3)
    SELECT leaf.*, coalesce(CASE WHEN p1.parent_code IS NULL THEN p1.name END, p2.name) AS dimension
    FROM leaf
    LEFT JOIN t p1 ON p1.pk = leaf.pk AND p1.code = leaf.parent_code
    LEFT JOIN t p2 ON p2.pk = p1.pk AND p2.code = p1.parent_code
)
SELECT name AS indicator,
       coalesce(min(name_en), name) AS indicator_en,
       mode(dimension ORDER BY dimension) AS dimension,
       count(DISTINCT pk) AS projects,
       sum(weight) AS weight,
       round(sum(weight - reported_score), 4) AS points_lost,
       CASE WHEN sum(weight) > 0 THEN 1 - sum(weight - reported_score) / sum(weight) END AS score_rate
FROM placed
WHERE weight IS NOT NULL AND reported_score IS NOT NULL
GROUP BY name
ORDER BY points_lost DESC, indicator
