-- Which projects do the sidebar's filters select, with their money, score and grade?
-- Parameters: $region (region-code prefix), $year_from, $year_to (evaluated period overlaps),
--             $category, $evaluator_type — each NULL for "any".
-- One row per project, best reported score first. Amounts in 万元, rates as fractions
-- (arrival = received / budget, execution = spent / received; NULL where an input is not reported).
SELECT p.project_id, p.name, p.short_name, p.name_en, p.category,
       p.province, p.city, p.district, p.region_code,
       p.implementing_unit, p.evaluator, p.evaluator_type,
       p.period_start, p.period_end, p.data_cutoff,
       p.reported_total_score, p.reported_grade, p.tree_depth, p.source, p.data_kind,
       m.budget, m.received, m.spent, m.estimated_investment, m.as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       m.spent / nullif(m.received, 0) AS execution_rate
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN project_money m USING (project_id)
ORDER BY p.reported_total_score DESC NULLS LAST, p.project_id
