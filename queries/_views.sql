-- The scoped views every query reads. Loaded once per lake version by perfeval.db.Lake.
-- base_<table> are the typed files; the views below apply the viewer's scope, which the data gate
-- sets on each cursor as variables: scope_all (BOOLEAN), scope_prefixes (VARCHAR[]), include_demo.
-- No query reads base_* directly (a test checks it).

CREATE VIEW projects AS
SELECT * FROM base_projects p
WHERE (getvariable('scope_all')
       OR len(list_filter(getvariable('scope_prefixes'), lambda x: starts_with(p.region_code, x))) > 0)
  AND (getvariable('include_demo') OR p.data_kind <> 'demo');

CREATE VIEW subprojects AS SELECT * FROM base_subprojects WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW budget AS SELECT * FROM base_budget WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW payments AS SELECT * FROM base_payments WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW indicators AS SELECT * FROM base_indicators WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW targets AS SELECT * FROM base_targets WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW outcomes AS SELECT * FROM base_outcomes WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW surveys AS SELECT * FROM base_surveys WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW outputs AS SELECT * FROM base_outputs WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW figures AS SELECT * FROM base_figures WHERE project_id IN (SELECT project_id FROM projects);
CREATE VIEW findings AS SELECT * FROM base_findings WHERE project_id IN (SELECT project_id FROM projects);

-- Reference tables: not regional; demo documents hidden with the demo switch.
CREATE VIEW documents AS SELECT * FROM base_documents WHERE getvariable('include_demo') OR data_kind <> 'demo';
CREATE VIEW metrics AS SELECT * FROM base_metrics;
CREATE VIEW vendor_aliases AS SELECT * FROM base_vendor_aliases;

-- The projects the sidebar's filters select. NULL means "no filter" for every argument.
-- region: a region-code prefix (44, 4403, 440304); years: the evaluated period overlaps [year_from, year_to].
CREATE MACRO selected_projects(region, year_from, year_to, category, evaluator_type) AS TABLE
SELECT * FROM projects p
WHERE (region IS NULL OR starts_with(p.region_code, region))
  AND (year_from IS NULL OR year(p.period_end) >= year_from)
  AND (year_to IS NULL OR year(p.period_start) <= year_to)
  AND (category IS NULL OR p.category = category)
  AND (evaluator_type IS NULL OR p.evaluator_type = evaluator_type);

-- One row per project: its budget totals (万元) under the rule "a measure is given per sub-project or for
-- the whole project, never both", so plain sums are project totals. budget = adjusted if given, else initial.
CREATE VIEW project_money AS
SELECT project_id,
       sum(initial_budget) AS initial_budget,
       sum(adjusted_budget) AS adjusted_budget,
       coalesce(sum(adjusted_budget), sum(initial_budget)) AS budget,
       sum(estimated_investment) AS estimated_investment,
       sum(received) AS received,
       sum(spent) AS spent,
       max(as_of) AS as_of
FROM budget
GROUP BY project_id;
