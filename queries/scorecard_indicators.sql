-- What is each project's indicator tree, with the scoring rule of each node?
-- Parameters: $project_id (NULL = every visible project).
-- One row per indicator node, in the report's order. weight and reported_score in 分; the rule columns
-- (rule_type, params, inputs, basis, rule_note) are NULL where no rule is set.
SELECT i.project_id, i.code, i.parent_code, i.level, i.name, i.name_en, i.weight, i.reported_score,
       i.rule_text, i.sort_order,
       r.rule_type, r.params, r.inputs, r.basis, r.note AS rule_note, r.source AS rule_source
FROM indicators i
LEFT JOIN indicator_rules r ON r.project_id = i.project_id AND r.code = i.code
WHERE ($project_id IS NULL OR i.project_id = $project_id) AND scored_source(i.source)
ORDER BY i.project_id, coalesce(i.sort_order, 0), i.code
