-- Which vendors were paid the most across the selected projects, one name per vendor however it is spelled?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (the sidebar filters, NULL = any);
--             $limit: at most this many vendors.
-- One row per canonical vendor (vendor_aliases as in queries/payments_by_vendor.sql; NULL = the report
-- names no vendor), largest amount first. Amounts in 万元; projects = how many selected projects paid it;
-- spellings / n_spellings = the distinct spellings in the payment lines; known_spellings /
-- n_known_spellings = every spelling the alias table knows. vendors, pairs (project × vendor rows of
-- payments_by_vendor) and total_amount are over every vendor, the limit aside (the same on every row).
WITH lines AS (
    SELECT pm.project_id, pm.amount, pm.vendor AS spelling, coalesce(a.vendor, pm.vendor) AS vendor
    FROM payments pm
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    LEFT JOIN vendor_aliases a ON a.alias = pm.vendor
), names AS (
    SELECT l.vendor, string_agg(DISTINCT a.alias, '；' ORDER BY a.alias) AS known_spellings,
           count(DISTINCT a.alias) AS n_known_spellings
    FROM (SELECT DISTINCT vendor FROM lines) l
    JOIN vendor_aliases a ON a.vendor = l.vendor
    GROUP BY l.vendor
), per_vendor AS (
    SELECT l.vendor,
           sum(l.amount) AS amount,
           count(*) AS payment_lines,
           count(DISTINCT l.project_id) AS projects,
           string_agg(DISTINCT l.spelling, '；' ORDER BY l.spelling) AS spellings,
           count(DISTINCT l.spelling) AS n_spellings
    FROM lines l
    GROUP BY l.vendor
)
SELECT v.vendor, v.amount, v.payment_lines, v.projects, v.spellings, v.n_spellings,
       n.known_spellings, coalesce(n.n_known_spellings, 1) AS n_known_spellings,
       count(*) OVER () AS vendors,
       sum(v.projects) OVER () AS pairs,
       sum(v.amount) OVER () AS total_amount
FROM per_vendor v
LEFT JOIN names n ON n.vendor IS NOT DISTINCT FROM v.vendor
ORDER BY v.amount DESC NULLS LAST, v.vendor NULLS LAST
LIMIT $limit
