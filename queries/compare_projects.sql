-- How do the projects the sidebar's filters select compare: score, grade, money, satisfaction and
-- one outcome (per 万元 spent)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $metric_key (the outcome to put per 万元; NULL gives NULL outcome columns);
--             $region_codes (a list of region codes: only their projects; NULL = every region).
-- One row per project. year = year(period_start) (the budget year of an annual project).
-- Amounts in 万元, rates as fractions; NULL where the report does not give an input (never 0). execution_rate as
-- queries/_views.sql project_execution defines it (spent / received; a self-evaluation without receipts
-- 全年执行数 / 全年预算数; else the stated rate), execution_basis and execution_stated saying which.
-- outcome_value: a whole-period figure where the report gives one, else the sum of its yearly figures
-- (the larger one where a report states the same figure twice). satisfaction: the survey's satisfaction
-- rate, else its score / 100 (satisfaction_basis says which).
WITH p AS (
    SELECT * FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE $region_codes IS NULL OR list_contains($region_codes, region_code)
),
o AS (SELECT * FROM project_outcome($metric_key)),
s AS (SELECT * FROM project_satisfaction),
t AS (
    SELECT project_id, max(level) AS levels_given
    FROM indicators WHERE project_id IN (SELECT project_id FROM p) GROUP BY project_id
)
SELECT p.project_id, p.name, p.short_name, p.name_en, p.category, p.framework,
       p.province, p.city, p.district, p.region_code,
       year(p.period_start) AS year, p.period_start, p.period_end,
       p.evaluator_type, p.reported_total_score, p.reported_grade, p.tree_depth,
       coalesce(t.levels_given, 0) AS levels_given,
       p.source, p.data_kind,
       m.budget, m.received, m.spent,
       e.execution_rate, e.execution_basis, e.execution_stated,
       o.outcome_value,
       o.outcome_value / nullif(m.spent, 0) AS outcome_per_wan,
       s.satisfaction, s.satisfaction_basis
FROM p
LEFT JOIN project_money m USING (project_id)
LEFT JOIN project_execution e USING (project_id)
LEFT JOIN o USING (project_id)
LEFT JOIN s USING (project_id)
LEFT JOIN t USING (project_id)
ORDER BY p.region_code, year, p.project_id
