-- Which selected projects give only a total score, no indicator breakdown (天水)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters; NULL = any).
-- One row per such project: project_id, short_name, reported_total_score, points_lost (100 − total, 分;
-- NULL when the total is not reported either), by name.
SELECT p.project_id, p.short_name, p.reported_total_score, 100 - p.reported_total_score AS points_lost
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
ANTI JOIN indicators i ON i.project_id = p.project_id
ORDER BY p.short_name, p.project_id
