-- Which visible projects does the project page's picker list (whatever the sidebar's filters)?
-- Parameters: $search: words separated by single spaces, each of which must occur (case-insensitive, as
--             plain text: % and _ are not wildcards) in the project's id, name, short name or English
--             name; NULL = every visible project. $limit: at most this many rows.
-- One row per project: a project whose id or name is exactly the search text first, then the order of
-- queries/project_list.sql (real before demo, by name). matches = how many projects match, limit aside.
SELECT p.project_id, p.name, p.short_name, p.name_en, p.data_kind,
       count(*) OVER () AS matches
FROM projects p
WHERE search_matches($search, p.project_id, p.name, p.short_name, p.name_en)
ORDER BY search_exact($search, p.project_id, p.name, p.short_name, p.name_en) DESC, p.data_kind = 'demo', p.name
LIMIT $limit
