-- Every indicator node of every project with its figures summed up the tree, built once per version of
-- the indicator files (perfeval.data.lake.Lake) and read by the tree queries as the view indicator_nodes.
-- Reads base_indicators (every project: the view indicator_nodes is scoped like every other table), in
-- $parts parts (projects split by a hash of their id; this one is $part, 0 ≤ $part < $parts), so that the
-- joins below hold one part of a large lake in memory at a time.
-- One row per project × node: the report's own columns, own_weight / own_score (the report's figures),
-- weight / score (the report's own where stated, else the sum of the children's, and unknown if any
-- child's is unknown: a partial sum would understate it; so is the score of a node whose own weight its
-- listed children's weights do not fill, a branch left out; docs/scoring.md), children (how many),
-- derived (a figure of the node or of one below it was summed), is_leaf (no children) and dimension
-- (the name of its level-1 ancestor; its own name on level 1).
-- Levels go 1–3 and a parent is one level up (the validator's rule); a level-3 node directly under a
-- level-1 one is still counted as its child.
WITH t AS (
    SELECT project_id, code, parent_code, level, name, name_en, sort_order, weight, reported_score
    FROM base_indicators
    WHERE hash(project_id) % $parts = $part
),
c3 AS (  -- the level-3 children of each parent: counted and summed
    SELECT project_id, parent_code AS code, count(*) AS n, count(weight) AS nw, count(reported_score) AS ns,
           sum(weight) AS sw, sum(reported_score) AS ss
    FROM t WHERE level = 3 GROUP BY ALL
),
r2 AS (  -- level 2: its own figures, else its children's sum
    SELECT t.*,
           coalesce(t.weight, CASE WHEN c3.nw = c3.n THEN c3.sw END) AS r_weight,
           coalesce(t.reported_score, CASE WHEN c3.ns = c3.n AND (t.weight IS NULL OR (c3.nw = c3.n
                                           AND abs(t.weight - c3.sw) <= 0.005)) THEN c3.ss END) AS r_score,
           coalesce(c3.n, 0) AS children,
           (t.weight IS NULL AND coalesce(c3.n, 0) > 0) AS derived
    FROM t LEFT JOIN c3 USING (project_id, code)
    WHERE t.level = 2
),
c2 AS (  -- the level-2 children of each level-1 node, as summed above
    SELECT project_id, parent_code AS code, count(*) AS n, count(r_weight) AS nw, count(r_score) AS ns,
           sum(r_weight) AS sw, sum(r_score) AS ss, bool_or(derived) AS any_derived
    FROM r2 GROUP BY ALL
),
r1 AS (
    SELECT t.*, coalesce(c2.n, 0) + coalesce(c3.n, 0) AS children,
           coalesce(c2.nw, 0) + coalesce(c3.nw, 0) AS nw, coalesce(c2.ns, 0) + coalesce(c3.ns, 0) AS ns,
           coalesce(c2.sw, 0) + coalesce(c3.sw, 0) AS sw, coalesce(c2.ss, 0) + coalesce(c3.ss, 0) AS ss,
           coalesce(c2.any_derived, false) AS any_derived
    FROM t LEFT JOIN c2 USING (project_id, code) LEFT JOIN c3 USING (project_id, code)
    WHERE t.level = 1
)
SELECT project_id, code, parent_code, level, name, name_en, sort_order,
       weight AS own_weight, reported_score AS own_score,
       coalesce(weight, CASE WHEN children > 0 AND nw = children THEN sw END) AS weight,
       coalesce(reported_score, CASE WHEN children > 0 AND ns = children AND (weight IS NULL OR (nw = children
                                     AND abs(weight - sw) <= 0.005)) THEN ss END) AS score,
       children,
       (weight IS NULL AND children > 0) OR any_derived AS derived,
       children = 0 AS is_leaf,
       name AS dimension
FROM r1
UNION ALL
SELECT r2.project_id, r2.code, r2.parent_code, r2.level, r2.name, r2.name_en, r2.sort_order,
       r2.weight, r2.reported_score, r2.r_weight, r2.r_score, r2.children, r2.derived, r2.children = 0,
       p.name
FROM r2 LEFT JOIN t p ON p.project_id = r2.project_id AND p.code = r2.parent_code AND p.level = 1
UNION ALL
SELECT l3.project_id, l3.code, l3.parent_code, l3.level, l3.name, l3.name_en, l3.sort_order,
       l3.weight, l3.reported_score, l3.weight, l3.reported_score, 0, false, true,
       coalesce(CASE WHEN p.parent_code IS NULL THEN p.name END, p2.name)  -- the parent, else its parent
FROM t l3
LEFT JOIN t p ON p.project_id = l3.project_id AND p.code = l3.parent_code
LEFT JOIN t p2 ON p2.project_id = p.project_id AND p2.code = p.parent_code
WHERE l3.level = 3
