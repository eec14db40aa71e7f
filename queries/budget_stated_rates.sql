-- Which money rates and totals do the selected projects' reports state themselves (to set beside ours)?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per stated figure (kind = derived) about money: arrival_rate, execution_rate, budget_total,
-- adjusted_budget_total, received_total, spent_total, unspent_total, saving_rate; scope "total" or "year:YYYY".
SELECT f.project_id, f.figure, f.scope, f.label, f.value, f.unit, f.qualifier, f.quote
FROM figures f
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
WHERE f.kind = 'derived'
  AND f.figure IN ('arrival_rate', 'execution_rate', 'budget_total', 'adjusted_budget_total', 'received_total',
                   'spent_total', 'unspent_total', 'saving_rate')
  AND (f.scope = 'total' OR f.scope LIKE 'year:%')
  AND ($project_id IS NULL OR f.project_id = $project_id)
ORDER BY f.project_id, f.figure, f.scope, f.figure_id
