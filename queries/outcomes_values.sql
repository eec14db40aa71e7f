-- What outcomes do the selected projects report, with each metric's catalogue entry and what to scale by?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type),
--             $project_id (NULL = every selected project), $categories (list of catalogue categories; NULL =
--             every category; a metric outside the catalogue is left out), $limit (at most this many rows;
--             NULL = all).
-- One row per outcome figure (project × metric × period), by project, category, metric and year, the first
-- $limit of them. value in the catalogue's unit (rates as fractions), qualifier kept; spent_total = the
-- project's spending (万元), spent_year = that year's spending when the figure has a year; population in
-- 万人 (NULL = not reported). figures / projects = the rows and distinct projects in all, the limit aside
-- (the same on every row). source = the figure's document; source_type = that document's kind
-- (schema.SOURCE_TYPES: evaluation_report, self_evaluation, press_release …; NULL where the document does not
-- say, as in demonstration and older imported data).
-- the figures' keys and order only (the wide columns, quotes and notes, are read for the rows shown: at 100 000
-- projects, sorting and counting every figure with its text took 250 MB)
WITH v AS (
    SELECT o.project_id, o.outcome_id, o.metric_key, o.year, c.category
    FROM outcomes o
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    JOIN metrics c USING (metric_key)
    WHERE ($project_id IS NULL OR o.project_id = $project_id)
      AND ($categories IS NULL OR list_contains($categories, c.category))
), page AS (
    SELECT project_id, outcome_id FROM v
    ORDER BY project_id, category, metric_key, year NULLS FIRST, outcome_id
    LIMIT $limit
), totals AS (
    SELECT count(*) AS figures, count(DISTINCT project_id) AS projects FROM v
), yearly AS (
    SELECT project_id, year, sum(spent) AS spent_year FROM budget
    WHERE project_id IN (SELECT project_id FROM page) GROUP BY project_id, year
)
SELECT o.project_id, p.short_name, p.name_en AS project_name_en, p.data_kind, p.population,
       o.outcome_id, o.metric_key, o.year, o.period_label, o.value, o.unit, o.qualifier, o.quote, o.note,
       c.name_zh, c.name_en, c.category, c.direction, c.unit AS catalogue_unit,
       m.spent AS spent_total, y.spent_year, t.figures, t.projects, o.source, d.source_type
FROM page pg
JOIN outcomes o USING (project_id, outcome_id)
JOIN projects p USING (project_id)
JOIN metrics c USING (metric_key)
LEFT JOIN project_money m USING (project_id)
LEFT JOIN yearly y ON y.project_id = o.project_id AND y.year = o.year
LEFT JOIN (SELECT source, any_value(source_type) AS source_type FROM documents GROUP BY source) d ON d.source = o.source
CROSS JOIN totals t
ORDER BY o.project_id, c.category, o.metric_key, o.year NULLS FIRST, o.outcome_id
