-- Which of the selected projects' targets need attention first: those not met, then those without a verdict?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $numeric_only (true = only targets with an actual and a non-zero target value, the ones a chart
--             can draw), $limit (at most this many rows).
-- Rows and columns of queries/targets_list.sql, ordered by the verdict of queries/targets_summary.sql (not
-- met, no verdict, met), then as targets_list orders them (project, target). For the chart and the table
-- when the selection has too many targets to list in full.
SELECT * EXCLUDE (computed) FROM target_rows($region, $year_from, $year_to, $category, $evaluator_type)
WHERE NOT $numeric_only OR (actual_value IS NOT NULL AND target_value IS NOT NULL AND target_value <> 0)
ORDER BY CASE coalesce(computed, stated_met) WHEN false THEN 0 WHEN true THEN 2 ELSE 1 END, project_id, target_id
LIMIT $limit
