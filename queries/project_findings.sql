-- What problems, recommendations and good practices does one project's report list?
-- Parameters: $project_id.
-- One row per finding (none if the project is not visible to this viewer): problems first, then
-- recommendations, then practices, each in the report's order (finding_id). For the project deck
-- (perfeval.decks.export).
SELECT project_id, finding_id, kind, title, text, indicator_code
FROM findings
WHERE project_id = $project_id
ORDER BY CASE kind WHEN 'problem' THEN 0 WHEN 'recommendation' THEN 1 ELSE 2 END, finding_id
