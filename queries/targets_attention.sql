-- Which of the selected projects' targets need attention first: those not met, then those without a verdict?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $numeric_only (true = only targets with an actual and a non-zero target value, the ones a chart
--             can draw), $limit (at most this many rows).
-- Rows and columns of queries/targets_list.sql, ordered by the verdict of queries/targets_summary.sql (not
-- met, no verdict, met), then as targets_list orders them (project, target). For the chart and the table
-- when the selection has too many targets to list in full.
WITH t AS (
    SELECT t.project_id, p.short_name, p.data_kind, t.target_id, t.subproject_id, t.year, t.category, t.name,
           t.unit, t.operator, t.target_value, t.target_text, t.actual_value, t.actual_text, t.stated_met,
           t.indicator_code, t.note,
           CASE WHEN t.actual_value IS NULL OR t.target_value IS NULL OR t.operator IS NULL THEN NULL
                WHEN t.operator = '>=' THEN t.actual_value >= t.target_value - 1e-9
                WHEN t.operator = '<=' THEN t.actual_value <= t.target_value + 1e-9
                WHEN t.operator = '>' THEN t.actual_value > t.target_value + 1e-9
                WHEN t.operator = '<' THEN t.actual_value < t.target_value - 1e-9
                WHEN t.operator = '=' THEN abs(t.actual_value - t.target_value) <= 1e-9
           END AS computed
    FROM targets t
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    WHERE NOT $numeric_only
       OR (t.actual_value IS NOT NULL AND t.target_value IS NOT NULL AND t.target_value <> 0)
)
SELECT project_id, short_name, data_kind, target_id, subproject_id, year, category, name, unit, operator,
       target_value, target_text, actual_value, actual_text, stated_met, indicator_code, note
FROM t
ORDER BY CASE coalesce(computed, stated_met) WHEN false THEN 0 WHEN true THEN 2 ELSE 1 END, project_id, target_id
LIMIT $limit
