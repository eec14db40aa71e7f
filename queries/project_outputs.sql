-- What outputs (产出数量: deliverables, build items, posts) did one project plan and deliver?
-- Parameters: $project_id.
-- One row per output (none if the project is not visible to this viewer), in the report's order
-- (group, then output_id). planned / actual: quantities in the row's unit, NULL where not reported.
SELECT o.output_id, o.subproject_id, s.name AS subproject_name, o.group_name, o.item, o.unit,
       o.planned, o.actual, o.qualifier, o.status, o.quote, o.note
FROM outputs o
LEFT JOIN subprojects s ON s.project_id = o.project_id AND s.subproject_id = o.subproject_id
WHERE o.project_id = $project_id
ORDER BY o.output_id
