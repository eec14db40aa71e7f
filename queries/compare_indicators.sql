-- How did each selected project score on each indicator of its tree (for side-by-side comparison)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $level (1, 2 or 3; NULL = every level).
-- One row per project × indicator node. weight and score are the report's own where it states them,
-- else the sum of the children (derived = true), as in project_level1.sql. indicator_key is the name
-- without a leading "项目" (项目决策 and 决策 are the same dimension), the key comparisons match on.
-- Children are summed per parent (unknown if a child's figure is: a partial sum would understate it),
-- and only where a node lacks its own figure (project_id and code are
-- the table's key: a node is one row); NOT MATERIALIZED lets each use read only its level of the tree
-- rather than DuckDB copying the whole tree once (4 × faster at 100 000 projects).
-- Projects are keyed by their number pk within the query (numbered_projects in _views.sql: faster joins),
-- numbered once (MATERIALIZED) however often the tree below is read, and mapped back to project_id at the end.
WITH p AS MATERIALIZED (
    SELECT pk, project_id FROM numbered_projects($region, $year_from, $year_to, $category, $evaluator_type)
),
tree AS NOT MATERIALIZED (
    SELECT p.pk, i.code, i.parent_code, i.level, i.name, i.name_en, i.sort_order, i.weight, i.reported_score
    FROM indicators i JOIN p ON p.project_id = i.project_id
    WHERE $level IS NULL OR i.level >= $level
),
t1 AS NOT MATERIALIZED (SELECT * FROM tree WHERE level = 1),
t2 AS NOT MATERIALIZED (  -- level 2: every node where it is shown, else those level 1 needs
    SELECT t.* FROM tree t
    WHERE t.level = 2
      AND ($level IS NULL OR $level = 2 OR t.weight IS NULL
           OR (t.pk, t.parent_code) IN (
               SELECT (pk, code) FROM t1 WHERE weight IS NULL OR reported_score IS NULL))
),
s3 AS (  -- the level-3 children of level-2 nodes lacking a weight or a score: summed and counted
    SELECT pk, parent_code AS code, complete_sum(weight, count(*)) AS weight,
           complete_sum(reported_score, count(*)) AS score,
           count(*) AS children
    FROM tree
    WHERE level = 3 AND (pk, parent_code) IN (
        SELECT (pk, code) FROM t2 WHERE weight IS NULL OR reported_score IS NULL)
    GROUP BY ALL
),
l2 AS NOT MATERIALIZED (
    SELECT t2.pk, t2.code, t2.parent_code, t2.level, t2.name, t2.name_en, t2.sort_order,
           coalesce(t2.weight, s3.weight) AS weight,
           coalesce(t2.reported_score, s3.score) AS score,
           (t2.weight IS NULL AND coalesce(s3.children, 0) > 0) AS derived
    FROM t2 LEFT JOIN s3 USING (pk, code)
),
s2 AS (
    SELECT pk, parent_code AS code, complete_sum(weight, count(*)) AS weight,
           complete_sum(score, count(*)) AS score,
           count(*) AS children, bool_or(derived) AS any_derived
    FROM l2 GROUP BY ALL
),
nodes AS (
    SELECT t1.pk, t1.code, t1.parent_code, t1.level, t1.name, t1.name_en, t1.sort_order,
           coalesce(t1.weight, s2.weight) AS weight,
           coalesce(t1.reported_score, s2.score) AS score,
           (t1.weight IS NULL AND coalesce(s2.children, 0) > 0) OR coalesce(s2.any_derived, false) AS derived
    FROM t1 LEFT JOIN s2 USING (pk, code)
    WHERE $level IS NULL OR $level = 1
    UNION ALL
    SELECT * FROM l2 WHERE $level IS NULL OR $level = 2
    UNION ALL
    SELECT pk, code, parent_code, level, name, name_en, sort_order, weight, reported_score, false
    FROM tree WHERE level = 3 AND ($level IS NULL OR $level = 3)
)
SELECT p.project_id, n.code, n.parent_code, n.level, n.name, n.name_en,
       regexp_replace(n.name, '^项目', '') AS indicator_key,
       n.weight, n.score, n.score / nullif(n.weight, 0) AS score_rate, n.derived, n.sort_order
FROM nodes n JOIN p USING (pk)
ORDER BY p.project_id, n.level, coalesce(n.sort_order, 0), n.code
