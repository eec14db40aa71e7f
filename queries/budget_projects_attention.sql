-- Which selected projects' money needs attention first: the lowest execution rates?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $limit: at most this many rows.
-- Rows and columns of queries/budget_projects.sql (one per project), ordered by execution rate (lowest
-- first, not reported last), then arrival rate (the same way), then that query's order (real before demo,
-- by id). For the per-project chart and table when the selection is too large to list in full.
SELECT * FROM budget_project_rows($region, $year_from, $year_to, $category, $evaluator_type)
ORDER BY execution_rate NULLS LAST, arrival_rate NULLS LAST, data_kind = 'demo', project_id
LIMIT $limit
