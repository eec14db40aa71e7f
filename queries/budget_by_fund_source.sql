-- Where did a project's money come from: received and spent per fund source?
-- Parameters: $project_id.
-- One row per fund source (NULL = not named). Amounts in 万元, NULL where the report gives none.
SELECT fund_source,
       coalesce(sum(adjusted_budget), sum(initial_budget)) AS budget,
       sum(estimated_investment) AS estimated_investment,
       sum(received) AS received,
       sum(spent) AS spent
FROM budget
WHERE project_id = $project_id
GROUP BY fund_source
ORDER BY sum(spent) DESC NULLS LAST, fund_source
