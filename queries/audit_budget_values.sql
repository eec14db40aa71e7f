-- Which money figures can be derived from each project's budget rows?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × figure × scope (scope: total, year:<y>, subproject:<id>), with how it was derived
-- (inputs, inputs_zh) and the rows it comes from. Amounts in 万元,
-- rates as fractions. budget = adjusted (指标) budget where a row gives one, else the initial budget;
-- arrival_rate = received / budget; execution_rate = spent / received (budget where no receipt is
-- given); saving_rate = (budget − spent) / budget; unspent_total = received (or budget) − spent.
-- Only figures whose inputs are all reported appear (a missing input is no row, never a zero).
WITH b AS (
    SELECT *, coalesce(adjusted_budget, initial_budget) AS budget_row
    FROM budget
    WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
), g AS (
    SELECT project_id,
           CASE WHEN grouping(year) = 0 THEN 'year:' || year
                WHEN grouping(subproject_id) = 0 THEN 'subproject:' || subproject_id
                ELSE 'total' END AS scope,
           sum(initial_budget) AS initial_budget,
           sum(adjusted_budget) AS adjusted_budget,
           sum(budget_row) AS budget,
           sum(received) AS received,
           sum(spent) AS spent,
           sum(estimated_investment) AS investment,
           -- the rows' keys (year/sub-project/fund source), sorted so that the text is the same every run
           array_to_string(list_sort(list(DISTINCT coalesce(CAST(year AS VARCHAR), '') || '/'
                                          || coalesce(subproject_id, '') || '/' || coalesce(fund_source, ''))),
                           ', ') AS row_keys
    FROM b
    GROUP BY GROUPING SETS ((project_id), (project_id, year), (project_id, subproject_id))
    HAVING NOT (grouping(year) = 0 AND year IS NULL)
       AND NOT (grouping(subproject_id) = 0 AND subproject_id IS NULL)
), f AS (
    SELECT project_id, scope, row_keys, unnest([
        {'figure': 'budget_total', 'value': initial_budget,
         'inputs': printf('Σ initial_budget = %.2f', initial_budget),
         'inputs_zh': printf('年初预算合计 %.2f', initial_budget)},
        {'figure': 'adjusted_budget_total', 'value': adjusted_budget,
         'inputs': printf('Σ adjusted_budget = %.2f', adjusted_budget),
         'inputs_zh': printf('调整预算合计 %.2f', adjusted_budget)},
        {'figure': 'received_total', 'value': received, 'inputs': printf('Σ received = %.2f', received),
         'inputs_zh': printf('到位资金合计 %.2f', received)},
        {'figure': 'spent_total', 'value': spent, 'inputs': printf('Σ spent = %.2f', spent),
         'inputs_zh': printf('实际支出合计 %.2f', spent)},
        {'figure': 'investment_total', 'value': investment,
         'inputs': printf('Σ estimated_investment = %.2f', investment),
         'inputs_zh': printf('估算总投资合计 %.2f', investment)},
        {'figure': 'arrival_rate', 'value': received / nullif(budget, 0),
         'inputs': printf('received %.2f / budget %.2f', received, budget),
         'inputs_zh': printf('到位资金 %.2f ÷ 预算 %.2f', received, budget)},
        {'figure': 'execution_rate', 'value': spent / nullif(coalesce(received, budget), 0),
         'inputs': CASE WHEN received IS NOT NULL THEN printf('spent %.2f / received %.2f', spent, received)
                        ELSE printf('spent %.2f / budget %.2f', spent, budget) END,
         'inputs_zh': CASE WHEN received IS NOT NULL THEN printf('实际支出 %.2f ÷ 到位资金 %.2f', spent, received)
                           ELSE printf('实际支出 %.2f ÷ 预算 %.2f', spent, budget) END},
        {'figure': 'saving_rate', 'value': (budget - spent) / nullif(budget, 0),
         'inputs': printf('(budget %.2f − spent %.2f) / budget %.2f', budget, spent, budget),
         'inputs_zh': printf('（预算 %.2f − 实际支出 %.2f）÷ 预算 %.2f', budget, spent, budget)},
        {'figure': 'unspent_total', 'value': coalesce(received, budget) - spent,
         'inputs': CASE WHEN received IS NOT NULL THEN printf('received %.2f − spent %.2f', received, spent)
                        ELSE printf('budget %.2f − spent %.2f', budget, spent) END,
         'inputs_zh': CASE WHEN received IS NOT NULL THEN printf('到位资金 %.2f − 实际支出 %.2f', received, spent)
                           ELSE printf('预算 %.2f − 实际支出 %.2f', budget, spent) END}
    ]) AS x
    FROM g
)
SELECT project_id, x.figure AS figure, scope, x.value AS value, x.inputs AS inputs, x.inputs_zh AS inputs_zh,
       'budget: ' || row_keys AS rows, false AS approximate
FROM f
WHERE x.value IS NOT NULL
ORDER BY project_id, figure, scope
