-- Which indicator trees (with their rules) belong to the projects the sidebar's filters select?
-- Parameters: $region (region-code prefix), $year_from, $year_to (evaluated period overlaps),
--             $category, $evaluator_type — each NULL for "any".
-- One row per project × indicator node; projects without a tree appear once with NULL indicator columns
-- (so the overview can say "not broken down" rather than show zero). Weights and scores in 分.
SELECT p.project_id, p.short_name, p.name AS project_name, p.reported_total_score, p.reported_grade, p.tree_depth,
       i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score, i.sort_order,
       r.rule_type, r.params, r.inputs
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
LEFT JOIN indicators i ON i.project_id = p.project_id
LEFT JOIN indicator_rules r ON r.project_id = i.project_id AND r.code = i.code
ORDER BY p.project_id, coalesce(i.sort_order, 0), i.code
