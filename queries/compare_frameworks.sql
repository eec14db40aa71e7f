-- What is the indicator framework (the level-1 structure) of each of the given projects, for the
-- like-for-like check?
-- Parameters: $project_ids (a list of project ids; NULL = every project in the viewer's scope).
-- One row per project (of those given, in scope). framework_keys: the level-1 indicator keys (the name
-- without a leading "项目", as in compare_indicators.sql) joined with "/" in the tree's order (sort_order,
-- then key, then code); framework_signature: the same with the weights, "决策/过程/产出/效益 (21/19/30/30)":
-- a weight is the report's own, else the sum of its children's when all of theirs are known (as in
-- compare_indicators.sql), "?" where neither is given, written as Python's "%g". Both are '' for a project without a tree (a total only).
-- The text of perfeval.domain.compare.framework_signature over the project's compare_indicators rows of level 1.
-- Children are summed per parent, and only where the parent gives no weight (project_id and code are the
-- table's key: a node is one row). NOT MATERIALIZED: each use reads only its level of the tree, instead of
-- DuckDB copying the whole tree once for the three uses (half the time at 100 000 projects).
WITH p AS (
    SELECT project_id FROM projects
    WHERE $project_ids IS NULL OR list_contains($project_ids, project_id)
),
tree AS NOT MATERIALIZED (
    SELECT project_id, code, parent_code, level, name, weight, sort_order
    FROM indicators WHERE project_id IN (SELECT project_id FROM p)
),
l1 AS NOT MATERIALIZED (SELECT * FROM tree WHERE level = 1),
n2 AS (  -- the level-2 children of level-1 nodes without a weight of their own: these are summed
    SELECT t.project_id, t.code, t.parent_code, t.weight
    FROM tree t JOIN l1 ON l1.project_id = t.project_id AND l1.code = t.parent_code AND l1.weight IS NULL
    WHERE t.level = 2
),
w3 AS (  -- Σ weight of the level-3 children of those level-2 nodes without a weight of their own
    SELECT t.project_id, t.parent_code AS code, complete_sum(t.weight, count(*)) AS weight
    FROM tree t JOIN n2 ON n2.project_id = t.project_id AND n2.code = t.parent_code AND n2.weight IS NULL
    WHERE t.level = 3
    GROUP BY ALL
),
w2 AS (  -- Σ weight of a level-1 node's level-2 children (their own, else their children's)
    SELECT n2.project_id, n2.parent_code AS code,
           complete_sum(coalesce(n2.weight, w3.weight), count(*)) AS weight
    FROM n2 LEFT JOIN w3 USING (project_id, code)
    GROUP BY ALL
),
l1w AS (
    SELECT l1.project_id, l1.code, l1.sort_order, regexp_replace(l1.name, '^项目', '') AS indicator_key,
           coalesce(l1.weight, w2.weight) AS weight
    FROM l1 LEFT JOIN w2 USING (project_id, code)
),
sig AS (
    SELECT project_id,
           string_agg(indicator_key, '/' ORDER BY sort_order NULLS LAST, indicator_key, code) AS keys,
           string_agg(CASE WHEN weight IS NULL OR isnan(weight) THEN '?' ELSE printf('%g', weight) END, '/'
                      ORDER BY sort_order NULLS LAST, indicator_key, code) AS weights
    FROM l1w
    GROUP BY project_id
)
SELECT p.project_id,
       coalesce(sig.keys, '') AS framework_keys,
       coalesce(sig.keys || ' (' || sig.weights || ')', '') AS framework_signature
FROM p
LEFT JOIN sig USING (project_id)
ORDER BY p.project_id
