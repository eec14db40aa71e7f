-- How do each project's payments compare with its spending, and its spending with the funds received?
-- Parameters: $project_id (NULL = every visible project).
-- One row per project × scope (total, subproject:<id>) with any of the three sums. Amounts in 万元;
-- a sum is NULL where no row gives it (not reported, never zero).
WITH b AS (
    SELECT project_id, CASE WHEN grouping(subproject_id) = 0 THEN 'subproject:' || subproject_id ELSE 'total' END AS scope,
           sum(spent) AS spent, sum(received) AS received
    FROM budget
    WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
    GROUP BY GROUPING SETS ((project_id), (project_id, subproject_id))
    HAVING NOT (grouping(subproject_id) = 0 AND subproject_id IS NULL)
), p AS (
    SELECT project_id, CASE WHEN grouping(subproject_id) = 0 THEN 'subproject:' || subproject_id ELSE 'total' END AS scope,
           sum(amount) AS paid, array_to_string(list_sort(list(payment_id)), ', ') AS payment_ids
    FROM payments
    WHERE ($project_id IS NULL OR project_id = $project_id) AND scored_source(source)
    GROUP BY GROUPING SETS ((project_id), (project_id, subproject_id))
    HAVING NOT (grouping(subproject_id) = 0 AND subproject_id IS NULL)
)
SELECT project_id, scope, b.spent, b.received, p.paid, p.payment_ids
FROM b FULL OUTER JOIN p USING (project_id, scope)
ORDER BY project_id, scope
