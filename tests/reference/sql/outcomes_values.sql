-- What outcomes do the selected projects report, with each metric's catalogue entry and what to scale by?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per outcome figure (project × metric × period). value in the catalogue's unit (rates as
-- fractions), qualifier kept; spent_total = the project's spending (万元), spent_year = that year's
-- spending when the figure has a year; population in 万人 (NULL = not reported).
WITH yearly AS (
    SELECT project_id, year, sum(spent) AS spent_year FROM budget GROUP BY project_id, year
)
SELECT o.project_id, p.short_name, p.name_en AS project_name_en, p.data_kind, p.population,
       o.outcome_id, o.metric_key, o.year, o.period_label, o.value, o.unit, o.qualifier, o.quote, o.note,
       c.name_zh, c.name_en, c.category, c.direction, c.unit AS catalogue_unit,
       m.spent AS spent_total, y.spent_year
FROM outcomes o
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
LEFT JOIN metrics c USING (metric_key)
LEFT JOIN project_money m USING (project_id)
LEFT JOIN yearly y ON y.project_id = o.project_id AND y.year = o.year
WHERE ($project_id IS NULL OR o.project_id = $project_id)
ORDER BY o.project_id, c.category, o.metric_key, o.year NULLS FIRST, o.outcome_id
