-- How far has each selected project's money come: budget, received, spent, the two rates and the cut-off?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $project_id (NULL = every selected project).
-- One row per project. Amounts in 万元; arrival_rate = received / budget, execution_rate = spent / received
-- (for a self-evaluation without receipts spent / budget, or the stated rate: execution_basis, execution_stated
-- and the project_execution view of queries/_views.sql say which)
-- (fractions, NULL where an input is not reported); as_of = latest cut-off of its money figures.
SELECT * FROM budget_project_rows($region, $year_from, $year_to, $category, $evaluator_type)
WHERE ($project_id IS NULL OR project_id = $project_id)
ORDER BY data_kind = 'demo', project_id
