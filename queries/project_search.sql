-- Which of the selected projects does the focus picker list (budget, outcomes and satisfaction pages)?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $search: words separated by single spaces, each of which must occur (case-insensitive, as
--             plain text: % and _ are not wildcards) in the project's id, name, short name or English
--             name; NULL = every selected project. $limit: at most this many rows.
-- One row per project: a project whose id or name is exactly the search text first, then the order of
-- queries/budget_projects.sql (real before demo, by id). matches = how many projects match, limit aside.
SELECT p.project_id, p.name, p.short_name, p.name_en, p.data_kind,
       count(*) OVER () AS matches
FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p
WHERE search_matches($search, p.project_id, p.name, p.short_name, p.name_en)
ORDER BY search_exact($search, p.project_id, p.name, p.short_name, p.name_en) DESC, p.data_kind = 'demo', p.project_id
LIMIT $limit
