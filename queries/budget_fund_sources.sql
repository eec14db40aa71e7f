-- Where did the money come from: each selected project's budget and spending per fund source and year
-- (the 自评表's 其中 rows: 当年财政拨款 / 上年结转资金 / 其他资金 …)?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × year × named fund source. Amounts in 万元, NULL where the report gives none (never 0);
-- execution_rate = spent ÷ adjusted_budget (全年执行数 ÷ 全年预算数, the 自评表's definition), NULL without both.
SELECT p.project_id, p.short_name, p.name_en, b.year, b.fund_source,
       sum(b.initial_budget) AS initial_budget,
       sum(b.adjusted_budget) AS adjusted_budget,
       sum(b.spent) AS spent,
       sum(b.spent) / nullif(sum(b.adjusted_budget), 0) AS execution_rate
FROM budget b
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
WHERE coalesce(b.fund_source, '') <> ''
  AND ($project_id IS NULL OR b.project_id = $project_id)
GROUP BY ALL
ORDER BY p.project_id, b.year, b.fund_source
