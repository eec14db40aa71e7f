-- Which score figures can be derived from each project's indicator tree?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope, with how it was derived (inputs, inputs_zh) and the rows it comes
-- from. Scores and weights in 分, rates as fractions.
--   indicator_weight / indicator_score  indicator:<code>  the node's own value, else the sum over its leaves
--   score_rate                          indicator:<code>  score / weight
--   indicator_weight / total_score      total             sums over the leaves (all leaves must be given)
--   score_rate                          total             total score / total weight; a project without a
--                                                         tree: reported_total_score / 100 (总分 100 分)
--   indicator_count                     level:<n>         nodes at level n (and level:<n>;indicator:<code>
--                                                         for the level-n nodes under one indicator)
-- The tree is walked upwards with one join per level (no recursion), so time and memory grow with the
-- rows: a node's ancestors are its parent, grandparent and great-grandparent, i.e. trees of up to four
-- levels (the schema allows three; `validate` refuses a parent that is not one level up). A parent code
-- is followed only to a node of the same project. Nodes are numbered once (i is MATERIALIZED, so every
-- reference sees the same numbers) and the walk joins on those numbers rather than on (project, code).
WITH i AS MATERIALIZED (
    SELECT row_number() OVER () AS id, project_id, code, parent_code, level, weight, reported_score
    FROM indicators WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
), link AS MATERIALIZED (
    -- a node and its parent node (followed only within the project)
    SELECT c.id, p.id AS parent
    FROM i c JOIN i p ON p.project_id = c.project_id AND p.code = c.parent_code
), node AS MATERIALIZED (
    SELECT i.*, h.parent IS NULL AS is_leaf
    FROM i LEFT JOIN (SELECT DISTINCT parent FROM link) h ON h.parent = i.id
), up2 AS MATERIALIZED (
    SELECT l2.parent AS ancestor, l1.id AS node FROM link l1 JOIN link l2 ON l2.id = l1.parent
), below AS MATERIALIZED (
    -- (ancestor, descendant) pairs at distance 0–3: each node with itself, its parent, grandparent, …
    SELECT id AS ancestor, id AS node, 0 AS depth FROM i
    UNION ALL SELECT parent, id, 1 FROM link
    UNION ALL SELECT ancestor, node, 2 FROM up2
    UNION ALL SELECT l3.parent, u.node, 3 FROM up2 u JOIN link l3 ON l3.id = u.ancestor
), leaf_sums AS (
    -- per node: its leaves (itself for a leaf); a node's own weight and score win where it gives them
    SELECT b.ancestor AS id,
           sum(d.weight) AS leaf_weight, count(d.weight) AS n_leaf_weight,
           sum(d.reported_score) AS leaf_score, count(d.reported_score) AS n_leaf_score,
           count(*) AS n_leaf
    FROM below b JOIN node d ON d.id = b.node
    WHERE d.is_leaf
    GROUP BY b.ancestor
), leaf_lists AS (
    -- the leaf codes are only written out for a node that lacks its own weight or score
    SELECT b.ancestor AS id, array_to_string(list_sort(list(d.code)), ', ') AS leaf_codes
    FROM below b JOIN node d ON d.id = b.node JOIN node a ON a.id = b.ancestor
    WHERE d.is_leaf AND (a.weight IS NULL OR a.reported_score IS NULL)
    GROUP BY b.ancestor
), node_vals AS (
    SELECT n.project_id, n.code, l.leaf_codes,
           coalesce(n.weight, CASE WHEN s.n_leaf_weight = s.n_leaf THEN s.leaf_weight END) AS w,
           coalesce(n.reported_score, CASE WHEN s.n_leaf_score = s.n_leaf THEN s.leaf_score END) AS s,
           n.weight IS NOT NULL AS own_w, n.reported_score IS NOT NULL AS own_s
    FROM node n JOIN leaf_sums s ON s.id = n.id LEFT JOIN leaf_lists l ON l.id = n.id
), node_text AS (
    SELECT project_id, code, w, s,
           CASE WHEN own_w THEN 'weight of ' || code ELSE 'Σ weights of ' || leaf_codes END AS w_inputs,
           CASE WHEN own_s THEN 'reported score of ' || code ELSE 'Σ scores of ' || leaf_codes END AS s_inputs,
           CASE WHEN own_w THEN '指标表中 ' || code || ' 的分值' ELSE leaf_codes || ' 的分值之和' END AS w_inputs_zh,
           CASE WHEN own_s THEN '指标表中 ' || code || ' 的得分' ELSE leaf_codes || ' 的得分之和' END AS s_inputs_zh,
           'indicators: ' || CASE WHEN own_w AND own_s THEN code ELSE leaf_codes END AS rows
    FROM node_vals
), totals AS (
    SELECT project_id,
           complete_sum(weight, count(*)) AS w,
           complete_sum(reported_score, count(*)) AS s,
           array_to_string(list_sort(list(code)), ', ') AS codes, count(*) AS n
    FROM node WHERE is_leaf GROUP BY project_id
), counts AS (
    SELECT project_id, 'level:' || level AS scope, count(*) AS n,
           array_to_string(list_sort(list(code)), ', ') AS codes
    FROM i GROUP BY project_id, level
    UNION ALL
    SELECT a.project_id, 'level:' || c.level || ';indicator:' || a.code, c.n, c.codes
    FROM (SELECT b.ancestor, d.level, count(*) AS n, array_to_string(list_sort(list(d.code)), ', ') AS codes
          FROM below b JOIN node d ON d.id = b.node
          WHERE b.depth > 0
          GROUP BY b.ancestor, d.level) c
    JOIN node a ON a.id = c.ancestor
)
SELECT project_id, 'indicator_weight' AS figure, 'indicator:' || code AS scope, w AS value,
       w_inputs AS inputs, w_inputs_zh AS inputs_zh, rows, false AS approximate
FROM node_text WHERE w IS NOT NULL
UNION ALL
SELECT project_id, 'indicator_score', 'indicator:' || code, s, s_inputs, s_inputs_zh, rows, false
FROM node_text WHERE s IS NOT NULL
UNION ALL
SELECT project_id, 'score_rate', 'indicator:' || code, s / w, s_inputs || ' / ' || w_inputs,
       s_inputs_zh || ' ÷ ' || w_inputs_zh, rows, false
FROM node_text WHERE s IS NOT NULL AND w > 0
UNION ALL
SELECT project_id, 'indicator_weight', 'total', w, printf('Σ weights of %d leaves', n),
       printf('%d 个末级指标分值之和', n), 'indicators: ' || codes, false
FROM totals WHERE w IS NOT NULL
UNION ALL
SELECT project_id, 'total_score', 'total', s, printf('Σ scores of %d leaves', n),
       printf('%d 个末级指标得分之和', n), 'indicators: ' || codes, false
FROM totals WHERE s IS NOT NULL
UNION ALL
SELECT p.project_id, 'score_rate', 'total',
       coalesce(t.s, p.reported_total_score) / coalesce(t.w, 100),
       CASE WHEN t.s IS NOT NULL THEN printf('Σ leaf scores %.2f / Σ leaf weights %.2f', t.s, t.w)
            ELSE printf('reported total %.2f / 100', p.reported_total_score) END,
       CASE WHEN t.s IS NOT NULL THEN printf('末级指标得分之和 %.2f ÷ 分值之和 %.2f', t.s, t.w)
            ELSE printf('报告总分 %.2f ÷ 100', p.reported_total_score) END,
       CASE WHEN t.s IS NOT NULL THEN 'indicators: ' || t.codes ELSE 'projects: ' || p.project_id END,
       false
FROM projects p LEFT JOIN totals t USING (project_id)
WHERE ($project_id IS NULL OR p.project_id = $project_id)
  AND coalesce(t.s, p.reported_total_score) IS NOT NULL AND coalesce(t.w, 100) > 0
UNION ALL
SELECT project_id, 'indicator_count', scope, CAST(n AS DOUBLE), n || ' nodes',
       '指标表中 ' || n || ' 个', 'indicators: ' || codes, false
FROM counts
ORDER BY 1, 2, 3
