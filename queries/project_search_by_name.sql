-- Which visible projects does the project page's picker list (whatever the sidebar's filters)?
-- Parameters: $search: words separated by single spaces, each of which must occur (case-insensitive, as
--             plain text: % and _ are not wildcards) in the project's id, name, short name or English
--             name; NULL = every visible project. $limit: at most this many rows.
-- One row per project: a project whose id or name is exactly the search text first, then the order of
-- queries/project_list.sql (real before demo, by name). matches = how many projects match, limit aside.
SELECT p.project_id, p.name, p.short_name, p.name_en, p.data_kind,
       count(*) OVER () AS matches
FROM projects p
WHERE $search IS NULL
   OR list_bool_and(list_transform(string_split(lower($search), ' '),
                    lambda w: contains(lower(concat_ws(' ', p.project_id, p.name, p.short_name, p.name_en)), w)))
ORDER BY coalesce(lower($search) IN (lower(p.project_id), lower(p.name), lower(p.short_name), lower(p.name_en)),
                  false) DESC,
         p.data_kind = 'demo', p.name
LIMIT $limit
