-- The scoped views every query reads. Loaded once per lake version by perfeval.data.lake.Lake.
-- base_<table> are the typed files; the views below apply the viewer's scope, which the data gate
-- sets on each cursor as variables: scope_all (BOOLEAN), scope_prefixes (VARCHAR[]), include_demo.
-- No query reads base_* directly (a test checks it).

CREATE VIEW projects AS
SELECT * FROM base_projects p
WHERE (getvariable('scope_all')
       OR len(list_filter(getvariable('scope_prefixes'), lambda x: starts_with(p.region_code, x))) > 0)
  AND (getvariable('include_demo') OR p.data_kind <> 'demo');

-- Every other table with a project_id gets its scoped view from perfeval.data.lake (a semi-join on projects).

-- Reference tables: not regional; demo documents hidden with the demo switch.
CREATE VIEW documents AS SELECT * FROM base_documents WHERE getvariable('include_demo') OR data_kind <> 'demo';
CREATE VIEW metrics AS SELECT * FROM base_metrics;
CREATE VIEW vendor_aliases AS SELECT * FROM base_vendor_aliases;
CREATE VIEW grade_bands AS SELECT * FROM base_grade_bands;

-- A total that is only known when every part is: sum(x) over n rows if x is given on all n, else NULL
-- (a partial sum would understate it; docs/scoring.md). n is count(*), or count(<key>) under an outer join.
CREATE MACRO complete_sum(x, n) AS CASE WHEN count(x) = n THEN sum(x) END;

-- The projects the sidebar's filters select. NULL means "no filter" for every argument.
-- region: a region-code prefix (44, 4403, 440304); years: the evaluated period overlaps [year_from, year_to].
CREATE MACRO selected_projects(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) AS TABLE
SELECT * FROM projects p
WHERE (f_region IS NULL OR starts_with(p.region_code, f_region))
  AND (f_year_from IS NULL OR year(p.period_end) >= f_year_from)
  AND (f_year_to IS NULL OR year(p.period_start) <= f_year_to)
  AND (f_category IS NULL OR p.category = f_category)
  AND (f_evaluator_type IS NULL OR p.evaluator_type = f_evaluator_type);

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

-- One project's figure for one outcome metric (for "per 万元" comparisons): the whole-period figure
-- where the report gives one, else the sum of its yearly figures (the larger one where a report states
-- the same figure twice, as 天津 does for blocked domains). One row per project reporting the metric.
CREATE MACRO project_outcome(f_metric_key) AS TABLE
WITH o_year AS (
    SELECT project_id, year, max(value) AS value
    FROM outcomes WHERE metric_key = f_metric_key
    GROUP BY project_id, year
)
SELECT project_id,
       coalesce(max(value) FILTER (WHERE year IS NULL), sum(value) FILTER (WHERE year IS NOT NULL)) AS outcome_value
FROM o_year GROUP BY project_id;

-- One project's satisfaction as a fraction: the survey's satisfaction rate, else its score / 100
-- (satisfaction_basis says which). One row per project with a survey.
CREATE VIEW project_satisfaction AS
SELECT project_id,
       avg(coalesce(satisfaction_rate, satisfaction_score / 100.0)) AS satisfaction,
       CASE WHEN bool_or(satisfaction_rate IS NOT NULL) THEN 'rate'
            WHEN bool_or(satisfaction_score IS NOT NULL) THEN 'score' END AS satisfaction_basis
FROM surveys
GROUP BY project_id;
