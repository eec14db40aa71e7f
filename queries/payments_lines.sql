-- Which payments did a project make: each line with its sub-project, service and canonical vendor?
-- Parameters: $project_id.
-- One row per payment line. Amount in 万元; vendor = canonical name (vendor_aliases), spelling = as the
-- report writes it, respelled = the two differ.
SELECT pm.payment_id, pm.subproject_id, s.name AS subproject_name, pm.item,
       coalesce(a.vendor, pm.vendor) AS vendor, pm.vendor AS spelling,
       coalesce(a.vendor, pm.vendor) IS DISTINCT FROM pm.vendor AS respelled,
       pm.amount, pm.fund_source, pm.as_of, pm.note
FROM payments pm
LEFT JOIN vendor_aliases a ON a.alias = pm.vendor
LEFT JOIN subprojects s ON s.project_id = pm.project_id AND s.subproject_id = pm.subproject_id
WHERE pm.project_id = $project_id
ORDER BY pm.payment_id
