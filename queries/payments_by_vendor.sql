-- How much did each selected project pay each vendor, one name per vendor however the report spells it?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per project × canonical vendor (vendor_aliases maps a spelling to its canonical name; a vendor
-- without an alias keeps its own name; NULL = the report names no vendor). Amounts in 万元;
-- spellings = the distinct spellings used in the payment lines, n_spellings counts them.
WITH lines AS (
    SELECT pm.project_id, p.short_name, pm.payment_id, pm.amount, pm.vendor AS spelling,
           coalesce(a.vendor, pm.vendor) AS vendor, pm.as_of
    FROM payments pm
    JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
    LEFT JOIN vendor_aliases a ON a.alias = pm.vendor
    WHERE ($project_id IS NULL OR pm.project_id = $project_id)
), names AS (
    -- every known spelling of a vendor paid here, from the alias table and the payment lines
    SELECT l.vendor, string_agg(DISTINCT a.alias, '；' ORDER BY a.alias) AS known_spellings,
           count(DISTINCT a.alias) AS n_known_spellings
    FROM (SELECT DISTINCT vendor FROM lines) l
    JOIN vendor_aliases a ON a.vendor = l.vendor
    GROUP BY l.vendor
)
SELECT l.project_id, l.short_name, l.vendor,
       sum(l.amount) AS amount,
       count(*) AS payment_lines,
       string_agg(DISTINCT l.spelling, '；' ORDER BY l.spelling) AS spellings,
       count(DISTINCT l.spelling) AS n_spellings,
       n.known_spellings,
       coalesce(n.n_known_spellings, 1) AS n_known_spellings,
       max(l.as_of) AS as_of
FROM lines l
LEFT JOIN names n ON n.vendor IS NOT DISTINCT FROM l.vendor
GROUP BY l.project_id, l.short_name, l.vendor, n.known_spellings, n.n_known_spellings
ORDER BY l.project_id, amount DESC, l.vendor
