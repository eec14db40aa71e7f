-- What was each sub-project of a project budgeted, received and spent, and what do its payment lines add up to?
-- Parameters: $project_id.
-- One row per sub-project (plus one row with subproject_id NULL for figures given for the whole project).
-- Amounts in 万元; paid = Σ payments of the sub-project (NULL when it has none).
WITH money AS (
    SELECT subproject_id,
           sum(initial_budget) AS initial_budget,
           sum(adjusted_budget) AS adjusted_budget,
           coalesce(sum(adjusted_budget), sum(initial_budget)) AS budget,
           sum(estimated_investment) AS estimated_investment,
           sum(received) AS received,
           sum(spent) AS spent
    FROM budget WHERE project_id = $project_id
    GROUP BY subproject_id
), paid AS (
    SELECT subproject_id, sum(amount) AS paid, count(*) AS payment_lines
    FROM payments WHERE project_id = $project_id
    GROUP BY subproject_id
), subs AS (
    SELECT subproject_id, name AS subproject_name, status FROM subprojects WHERE project_id = $project_id
), ids AS (
    SELECT subproject_id FROM money UNION SELECT subproject_id FROM paid UNION SELECT subproject_id FROM subs
)
SELECT ids.subproject_id, s.subproject_name, s.status,
       m.initial_budget, m.adjusted_budget, m.budget, m.estimated_investment, m.received, m.spent,
       pd.paid, pd.payment_lines
FROM ids
LEFT JOIN subs s ON s.subproject_id IS NOT DISTINCT FROM ids.subproject_id
LEFT JOIN money m ON m.subproject_id IS NOT DISTINCT FROM ids.subproject_id
LEFT JOIN paid pd ON pd.subproject_id IS NOT DISTINCT FROM ids.subproject_id
ORDER BY ids.subproject_id NULLS LAST
