-- What do each project's payments to vendors add up to?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope (scope: total, subproject:<id>). Amounts in 万元.
-- payment_total and payment_subtotal are the same sum (reports call a sub-project's sum 小计).
WITH p AS (
    SELECT * FROM payments WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
), g AS (
    SELECT project_id,
           CASE WHEN grouping(subproject_id) = 0 THEN 'subproject:' || subproject_id ELSE 'total' END AS scope,
           sum(amount) AS amount, count(*) AS n,
           array_to_string(list_sort(list(payment_id)), ', ') AS ids
    FROM p
    GROUP BY GROUPING SETS ((project_id), (project_id, subproject_id))
    HAVING NOT (grouping(subproject_id) = 0 AND subproject_id IS NULL)
)
SELECT project_id, x.figure AS figure, scope, x.value AS value, x.inputs AS inputs, x.inputs_zh AS inputs_zh,
       'payments: ' || ids AS rows, false AS approximate
FROM (
    SELECT *, unnest([
        {'figure': 'payment_total', 'value': amount, 'inputs': printf('Σ %d payments = %.2f', n, amount),
         'inputs_zh': printf('%d 笔支付合计 %.2f', n, amount)},
        {'figure': 'payment_subtotal', 'value': amount, 'inputs': printf('Σ %d payments = %.2f', n, amount),
         'inputs_zh': printf('%d 笔支付合计 %.2f', n, amount)},
        {'figure': 'payment_count', 'value': CAST(n AS DOUBLE), 'inputs': printf('%d payment rows', n),
         'inputs_zh': printf('%d 笔支付', n)}
    ]) AS x
    FROM g
)
ORDER BY project_id, figure, scope
