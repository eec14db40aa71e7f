-- Which regions can the sidebar's region filter choose from, among the projects this viewer may see?
-- Parameters: none (the data gate applies the viewer's scope).
-- One row per filter value, by prefix: prefix = a region-code prefix (44 a province, 4403 a city, 440304 a
-- district) for every province, city and district present; label = "广东省 / 深圳市 / 福田区" (a city named
-- like its province, as 天津市, is not repeated before a district). A code's "00" pair means "the whole
-- level": 440300 adds no district, 120000 no city. A prefix takes its label from the first project row by
-- region code, category and evaluator type, the order of queries/filter_options.sql, whose rows
-- perfeval.domain.regions.region_options reads the same way (a test checks both agree).
WITH r AS (
    SELECT DISTINCT province, city, district, region_code, category, evaluator_type
    FROM projects
), named AS (
    SELECT substr(region_code, 1, 2) AS prefix, 1 AS level, province AS label,
           region_code, category, evaluator_type
    FROM r
    UNION ALL
    SELECT substr(region_code, 1, 4), 2, province || ' / ' || city,
           region_code, category, evaluator_type
    FROM r
    WHERE substr(region_code, 3, 2) <> '00' AND city <> ''
    UNION ALL
    SELECT substr(region_code, 1, 6), 3,
           province || ' / ' || CASE WHEN city <> '' AND city <> province THEN city || ' / ' ELSE '' END || district,
           region_code, category, evaluator_type
    FROM r
    WHERE substr(region_code, 5, 2) <> '00' AND district <> ''
)
SELECT prefix, first(label ORDER BY region_code, category, evaluator_type, level) AS label
FROM named
GROUP BY prefix
ORDER BY prefix
