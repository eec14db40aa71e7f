-- How much of the selected projects' payments is paid and how much still pending, from which fund source?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row per status × fund source (status NULL = not reported, fund_source NULL = not named): the amount
-- (万元), the payment lines and the projects, largest amounts first within a status (paid, pending, not
-- reported).
SELECT pm.status, pm.fund_source,
       sum(pm.amount) AS amount,
       count(*) AS payment_lines,
       count(DISTINCT pm.project_id) AS projects
FROM payments pm
JOIN selected_projects($region, $year_from, $year_to, $category, $evaluator_type) p USING (project_id)
WHERE ($project_id IS NULL OR pm.project_id = $project_id)
GROUP BY pm.status, pm.fund_source
ORDER BY CASE pm.status WHEN 'paid' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, amount DESC NULLS LAST,
         pm.fund_source NULLS LAST
