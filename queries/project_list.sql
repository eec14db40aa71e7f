-- Which projects may this viewer open (for the project picker)?
-- Parameters: none.
-- One row per visible project, by name.
SELECT project_id, name, short_name, name_en, data_kind
FROM projects
ORDER BY data_kind = 'demo', name
