-- What are one project's facts, money totals and source document?
-- Parameters: $project_id.
-- One row (none if the project is not visible to this viewer). Amounts in 万元, rates as fractions.
SELECT p.*, m.budget, m.initial_budget, m.adjusted_budget, m.received, m.spent,
       m.estimated_investment, m.as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       e.execution_rate, e.execution_basis, e.execution_stated,
       d.title AS document_title, d.file AS document_file, d.kind AS document_kind
FROM projects p
LEFT JOIN project_money m USING (project_id)
LEFT JOIN project_execution e USING (project_id)
LEFT JOIN documents d ON d.source = p.source
WHERE p.project_id = $project_id
