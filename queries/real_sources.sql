-- Which sources of real kinds (not demo, not generated) do the viewer's documents and projects name? What
-- perfeval.data.demo_default compares with the bundled data's own sources to choose whether the demonstration
-- data are shown by default (perfeval.views.sidebar.demo_default). Parameters: none; one row per source.
SELECT DISTINCT source FROM documents WHERE data_kind NOT IN ('demo', 'generated')
UNION
SELECT DISTINCT source FROM projects WHERE data_kind NOT IN ('demo', 'generated')
ORDER BY source
