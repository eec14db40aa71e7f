-- Which selected projects' money needs attention first: the lowest execution rates?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $limit: at most this many rows.
-- Rows and columns of queries/budget_projects.sql (one per project), ordered by execution rate (lowest
-- first, not reported last), then arrival rate (the same way), then that query's order (real before demo,
-- by id). For the per-project chart and table when the selection is too large to list in full.
SELECT p.project_id, p.name, p.short_name, p.name_en, p.period_start, p.period_end, p.data_cutoff,
       p.source, p.data_kind,
       m.initial_budget, m.adjusted_budget, m.budget, m.estimated_investment, m.received, m.spent,
       coalesce(m.as_of, p.data_cutoff) AS as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       m.spent / nullif(m.received, 0) AS execution_rate,
       m.received - m.spent AS unspent
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN project_money m USING (project_id)
ORDER BY execution_rate NULLS LAST, arrival_rate NULLS LAST, p.data_kind = 'demo', p.project_id
LIMIT $limit
