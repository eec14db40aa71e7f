-- What do the selected projects' money figures add up to: totals, the two money-weighted rates, cut-offs?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $project_id (NULL = every selected project).
-- One row per cut-off date (as_of as in queries/budget_projects.sql; NULL = undated), so that the page can
-- say which cut-offs are interim (perfeval.domain.budget.is_interim) without a row per project. Amounts in 万元,
-- sums over the projects that report the measure (n_<measure> counts them). arrival_* / execution_*: the
-- numerator and denominator sums over the projects that report both inputs with a positive denominator
-- (perfeval.domain.budget.selection_reading's rule), and how many such projects (arrival_n / execution_n).
-- The execution rate's denominator is received, or the budget for a self-evaluation reporting no receipts
-- (execution_basis 'budget', queries/_views.sql project_execution; execution_budget_n counts those).
WITH p AS (
    SELECT m.budget, m.received, m.spent, m.received - m.spent AS unspent,
           coalesce(m.as_of, p.data_cutoff) AS as_of,
           -- the execution rate's denominator by the project's definition (the project_execution view)
           CASE WHEN e.execution_stated THEN NULL
                WHEN e.execution_basis = 'budget' THEN m.budget ELSE m.received END AS execution_base,
           e.execution_basis
    FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
    LEFT JOIN project_money m USING (project_id)
    LEFT JOIN project_execution e USING (project_id)
    WHERE ($project_id IS NULL OR p.project_id = $project_id)
)
SELECT as_of,
       count(*) AS projects,
       count(budget) AS n_budget, sum(budget) AS budget,
       count(received) AS n_received, sum(received) AS received,
       count(spent) AS n_spent, sum(spent) AS spent,
       count(unspent) AS n_unspent, sum(unspent) AS unspent,
       count(*) FILTER (WHERE received IS NOT NULL AND budget > 0) AS arrival_n,
       sum(received) FILTER (WHERE received IS NOT NULL AND budget > 0) AS arrival_num,
       sum(budget) FILTER (WHERE received IS NOT NULL AND budget > 0) AS arrival_den,
       count(*) FILTER (WHERE spent IS NOT NULL AND execution_base > 0) AS execution_n,
       sum(spent) FILTER (WHERE spent IS NOT NULL AND execution_base > 0) AS execution_num,
       sum(execution_base) FILTER (WHERE spent IS NOT NULL AND execution_base > 0) AS execution_den,
       count(*) FILTER (WHERE spent IS NOT NULL AND execution_base > 0 AND execution_basis = 'budget')
           AS execution_budget_n
FROM p
GROUP BY as_of
ORDER BY as_of NULLS LAST
