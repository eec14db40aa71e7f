-- Which projects do the sidebar's filters select, with their money, score and grade?
-- Parameters: $region (region-code prefix), $year_from, $year_to (evaluated period overlaps),
--             $category, $evaluator_type — each NULL for "any".
-- One row per project, best reported score first. Amounts in 万元, rates as fractions
-- (arrival = received / budget; execution as the project_execution view defines it: spent / received, or for a
-- self-evaluation without receipts 全年执行数 / 全年预算数, or the rate the document states; execution_basis
-- 'received' | 'budget' says which, execution_stated whether it is the stated figure, execution_rate_stated the
-- rate the document states, if any; NULL where not reported).
SELECT p.project_id, p.name, p.short_name, p.name_en, p.category,
       p.province, p.city, p.district, p.region_code,
       p.implementing_unit, p.evaluator, p.evaluator_type,
       p.period_start, p.period_end, p.data_cutoff,
       p.reported_total_score, p.reported_grade, p.tree_depth, p.source, p.data_kind,
       m.budget, m.received, m.spent, m.estimated_investment, m.as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       e.execution_rate, e.execution_basis, e.execution_stated, e.execution_rate_stated
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN project_money m USING (project_id)
LEFT JOIN project_execution e USING (project_id)
ORDER BY p.reported_total_score DESC NULLS LAST, p.project_id
