-- How does each district (region) score on each indicator, over its projects?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $year (budget year, NULL = all); $level (1, 2 or 3).
-- One row per region_code × indicator_key (the indicator's name without a leading "项目"); code is the
-- smallest code the key has (A, B … : the report's order).
-- score_rate = Σscore / Σweight over the region's projects that give the indicator; weights and scores
-- are the report's own, else summed from the children (as in compare_indicators.sql).
-- Children are summed per parent (unknown if a child's figure is: a partial sum would understate it),
-- and only where a node lacks its own figure (project_id and code are
-- the table's key: a node is one row); NOT MATERIALIZED lets each use read only its level of the tree
-- rather than DuckDB copying the whole tree once (4 × faster at 100 000 projects).
-- Projects are keyed by their number pk within the query (numbered_projects in _views.sql: faster joins),
-- numbered once (MATERIALIZED) however often the tree below is read.
WITH p AS MATERIALIZED (
    SELECT pk, project_id, region_code
    FROM numbered_projects($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE ($year IS NULL OR year(period_start) = $year)
),
tree AS NOT MATERIALIZED (
    SELECT p.pk, i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score
    FROM indicators i JOIN p ON p.project_id = i.project_id
    WHERE i.level >= $level
),
n1 AS NOT MATERIALIZED (SELECT * FROM tree WHERE level = 1),
n2 AS NOT MATERIALIZED (
    SELECT t.* FROM tree t
    WHERE t.level = 2
      AND ($level = 2 OR (t.pk, t.parent_code) IN (
          SELECT (pk, code) FROM n1 WHERE weight IS NULL OR reported_score IS NULL))
),
s3 AS (
    SELECT pk, parent_code AS code, complete_sum(weight, count(*)) AS weight,
           complete_sum(reported_score, count(*)) AS score
    FROM tree
    WHERE level = 3 AND (pk, parent_code) IN (
        SELECT (pk, code) FROM n2 WHERE weight IS NULL OR reported_score IS NULL)
    GROUP BY ALL
),
r2 AS NOT MATERIALIZED (
    SELECT n2.pk, n2.code, n2.parent_code, n2.name, n2.name_en,
           coalesce(n2.weight, s3.weight) AS weight, coalesce(n2.reported_score, s3.score) AS score
    FROM n2 LEFT JOIN s3 USING (pk, code)
),
s2 AS (
    SELECT pk, parent_code AS code, complete_sum(weight, count(*)) AS weight,
           complete_sum(score, count(*)) AS score
    FROM r2 GROUP BY ALL
),
nodes AS (
    SELECT n1.pk, n1.code, n1.name, n1.name_en,
           coalesce(n1.weight, s2.weight) AS weight, coalesce(n1.reported_score, s2.score) AS score
    FROM n1 LEFT JOIN s2 USING (pk, code) WHERE $level = 1
    UNION ALL
    SELECT pk, code, name, name_en, weight, score FROM r2 WHERE $level = 2
    UNION ALL
    SELECT pk, code, name, name_en, weight, reported_score FROM tree WHERE level = 3 AND $level = 3
)
SELECT p.region_code, regexp_replace(n.name, '^项目', '') AS indicator_key,
       any_value(n.name_en) AS name_en, min(n.code) AS code,
       count(DISTINCT n.pk) AS projects,
       sum(n.weight) AS weight, sum(n.score) AS score,
       sum(n.score) / nullif(sum(n.weight), 0) AS score_rate
FROM nodes n JOIN p USING (pk)
WHERE n.weight IS NOT NULL AND n.score IS NOT NULL
GROUP BY p.region_code, indicator_key
ORDER BY p.region_code, indicator_key
