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
WITH RECURSIVE i AS (
    SELECT * FROM indicators WHERE $project_id IS NULL OR project_id = $project_id
), leaf AS (
    SELECT * FROM i
    WHERE NOT EXISTS (SELECT 1 FROM i c WHERE c.project_id = i.project_id AND c.parent_code = i.code)
), below(project_id, ancestor, code, depth) AS (
    SELECT project_id, code, code, 0 FROM i
    UNION ALL
    SELECT b.project_id, b.ancestor, c.code, b.depth + 1
    FROM below b JOIN i c ON c.project_id = b.project_id AND c.parent_code = b.code
    WHERE b.depth < 12
), node_sums AS (
    SELECT n.project_id, n.code, n.level, n.weight, n.reported_score,
           sum(l.weight) AS leaf_weight, count(l.weight) AS n_leaf_weight,
           sum(l.reported_score) AS leaf_score, count(l.reported_score) AS n_leaf_score,
           count(l.code) AS n_leaf,
           string_agg(l.code, ', ' ORDER BY l.code) AS leaf_codes
    FROM i n
    JOIN below b ON b.project_id = n.project_id AND b.ancestor = n.code
    JOIN leaf l ON l.project_id = b.project_id AND l.code = b.code
    GROUP BY ALL
), node_vals AS (
    SELECT project_id, code,
           coalesce(weight, CASE WHEN n_leaf_weight = n_leaf THEN leaf_weight END) AS w,
           coalesce(reported_score, CASE WHEN n_leaf_score = n_leaf THEN leaf_score END) AS s,
           CASE WHEN weight IS NOT NULL THEN printf('weight of %s', code)
                ELSE printf('Σ weights of %s', leaf_codes) END AS w_inputs,
           CASE WHEN reported_score IS NOT NULL THEN printf('reported score of %s', code)
                ELSE printf('Σ scores of %s', leaf_codes) END AS s_inputs,
           CASE WHEN weight IS NOT NULL THEN printf('指标表中 %s 的分值', code)
                ELSE printf('%s 的分值之和', leaf_codes) END AS w_inputs_zh,
           CASE WHEN reported_score IS NOT NULL THEN printf('指标表中 %s 的得分', code)
                ELSE printf('%s 的得分之和', leaf_codes) END AS s_inputs_zh,
           CASE WHEN weight IS NOT NULL AND reported_score IS NOT NULL THEN 'indicators: ' || code
                ELSE 'indicators: ' || leaf_codes END AS rows
    FROM node_sums
), totals AS (
    SELECT project_id,
           CASE WHEN count(weight) = count(*) THEN sum(weight) END AS w,
           CASE WHEN count(reported_score) = count(*) THEN sum(reported_score) END AS s,
           string_agg(code, ', ' ORDER BY code) AS codes, count(*) AS n
    FROM leaf GROUP BY project_id
), counts AS (
    SELECT project_id, 'level:' || level AS scope, count(*) AS n,
           string_agg(code, ', ' ORDER BY code) AS codes
    FROM i GROUP BY project_id, level
    UNION ALL
    SELECT n.project_id, 'level:' || c.level || ';indicator:' || n.code, count(*),
           string_agg(c.code, ', ' ORDER BY c.code)
    FROM i n
    JOIN below b ON b.project_id = n.project_id AND b.ancestor = n.code AND b.depth > 0
    JOIN i c ON c.project_id = b.project_id AND c.code = b.code
    GROUP BY n.project_id, c.level, n.code
)
SELECT project_id, 'indicator_weight' AS figure, 'indicator:' || code AS scope, w AS value,
       w_inputs AS inputs, w_inputs_zh AS inputs_zh, rows, false AS approximate
FROM node_vals WHERE w IS NOT NULL
UNION ALL
SELECT project_id, 'indicator_score', 'indicator:' || code, s, s_inputs, s_inputs_zh, rows, false
FROM node_vals WHERE s IS NOT NULL
UNION ALL
SELECT project_id, 'score_rate', 'indicator:' || code, s / w, printf('%s / %s', s_inputs, w_inputs),
       printf('%s ÷ %s', s_inputs_zh, w_inputs_zh), rows, false
FROM node_vals WHERE s IS NOT NULL AND w > 0
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
SELECT project_id, 'indicator_count', scope, CAST(n AS DOUBLE), printf('%d nodes', n),
       printf('指标表中 %d 个', n), 'indicators: ' || codes, false
FROM counts
ORDER BY 1, 2, 3
