-- How far has each selected project's money come: budget, received, spent, the two rates and the cut-off?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $project_id (NULL = every selected project).
-- One row per project. Amounts in 万元; arrival_rate = received / budget, execution_rate = spent / received
-- (fractions, NULL where an input is not reported); as_of = latest cut-off of its money figures.
SELECT p.project_id, p.name, p.short_name, p.name_en, p.period_start, p.period_end, p.data_cutoff,
       p.source, p.data_kind,
       m.initial_budget, m.adjusted_budget, m.budget, m.estimated_investment, m.received, m.spent,
       coalesce(m.as_of, p.data_cutoff) AS as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       m.spent / nullif(m.received, 0) AS execution_rate,
       m.received - m.spent AS unspent
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN project_money m USING (project_id)
WHERE ($project_id IS NULL OR p.project_id = $project_id)
ORDER BY p.data_kind = 'demo', p.project_id
