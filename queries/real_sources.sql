-- The sources of real kinds (not demo, not generated) that the viewer's documents and projects name: what
-- perfeval.data.demo_default compares with the bundled data's own sources to choose whether the demonstration
-- data are shown by default (perfeval.views.sidebar.demo_default).
SELECT DISTINCT source FROM documents WHERE data_kind NOT IN ('demo', 'generated')
UNION
SELECT DISTINCT source FROM projects WHERE data_kind NOT IN ('demo', 'generated')
ORDER BY source
