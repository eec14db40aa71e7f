-- How many visible projects does each province (two-digit region-code prefix) hold, to audit a large
-- lake a batch of provinces at a time?
-- Parameters: none.
-- One row per prefix, in prefix order; prefix NULL counts the projects whose region code does not start
-- with two digits (such a lake is audited in one piece: those projects would be in no batch).
SELECT CASE WHEN regexp_matches(region_code, '^[0-9]{2}') THEN left(region_code, 2) END AS prefix,
       count(*) AS n
FROM projects
GROUP BY 1
ORDER BY 1 NULLS LAST
