-- Which outcome metrics does the catalogue hold, to find a metric key without SQL (python -m perfeval metrics)?
-- Parameters: $search (NULL = all; else a word found in the key, either name, the unit or the note, any case),
--             $category (NULL = every category).
-- One row per metric: key, names, unit, category, direction, where it came from (source, and the title of
-- that document) and how many outcome figures of the visible projects use it.
SELECT m.metric_key, m.name_zh, m.name_en, m.unit, m.category, m.direction, m.source, d.title AS source_title,
       m.note, coalesce(u.n, 0) AS n_outcomes
FROM metrics m
LEFT JOIN (SELECT source, any_value(title) AS title FROM documents GROUP BY source) d ON d.source = m.source
LEFT JOIN (SELECT metric_key, count(*) AS n FROM outcomes GROUP BY metric_key) u ON u.metric_key = m.metric_key
WHERE ($category IS NULL OR m.category = $category)
  AND ($search IS NULL
       OR contains(lower(m.metric_key), lower($search)) OR contains(lower(m.name_zh), lower($search))
       OR contains(lower(m.name_en), lower($search)) OR contains(lower(coalesce(m.unit, '')), lower($search))
       OR contains(lower(coalesce(m.note, '')), lower($search)))
ORDER BY m.category, m.metric_key
