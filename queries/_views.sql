-- The scoped views every query reads. Loaded once per lake version by perfeval.data.lake.Lake.
-- base_<table> are the typed files; the views below apply the viewer's scope, which the data gate
-- sets on each cursor as variables: scope_all (BOOLEAN: no restriction at all), scope_regions_all
-- (BOOLEAN), scope_prefixes (VARCHAR[]: region-code prefixes), scope_by_project (BOOLEAN) and
-- scope_projects (VARCHAR[]: a viewer's project ids), include_demo (BOOLEAN). A cursor on which they
-- are not set reads NULL and sees no project (default deny).
-- No query reads base_* directly (a test checks it).

CREATE VIEW projects AS
SELECT * FROM base_projects p
WHERE (getvariable('scope_all')
       OR ((getvariable('scope_regions_all')
            OR len(list_filter(getvariable('scope_prefixes'), lambda x: starts_with(p.region_code, x))) > 0)
           AND (NOT getvariable('scope_by_project') OR list_contains(getvariable('scope_projects'), p.project_id))))
  AND (getvariable('include_demo') OR p.data_kind <> 'demo');

-- Every other table with a project_id gets its scoped view from perfeval.data.lake (a semi-join on projects).

-- Reference tables: not regional; demo documents hidden with the demo switch. A restricted viewer sees only
-- the documents its projects cite (the reports and import batches that brought them), so that another
-- district's reports and batches are not even named. (Reading the sources of every table instead took a
-- second per query over the CSV seeds.)
-- Two branches, one of which the constant scope_all empties, so that an unrestricted viewer reads no projects here.
CREATE VIEW documents AS
SELECT * FROM base_documents d
WHERE getvariable('scope_all') AND (getvariable('include_demo') OR d.data_kind <> 'demo')
UNION ALL
SELECT * FROM base_documents d
WHERE NOT getvariable('scope_all') AND (getvariable('include_demo') OR d.data_kind <> 'demo')
  AND d.source IN (SELECT source FROM projects);
CREATE VIEW metrics AS SELECT * FROM base_metrics;
CREATE VIEW vendor_aliases AS SELECT * FROM base_vendor_aliases;
CREATE VIEW grade_bands AS SELECT * FROM base_grade_bands;

-- Whether the rows of document ``src`` may feed an evaluation's scores and audit (queries audit_*, scorecard_*):
-- an evaluation (documents.source_type evaluation_report / self_evaluation / finance_evaluation, the list of
-- perfeval.data.schema.EVALUATION_SOURCE_TYPES, a test keeps them equal) or a document that does not say its
-- kind (demonstration, generated and older imported data); never a press or statistics release, an audit or
-- the catalogue, whose figures are shown with their kind and never scored. Read from base_documents: a row's
-- kind does not depend on who looks.
CREATE MACRO scored_source(src) AS coalesce(src NOT IN (
    SELECT source FROM base_documents
    WHERE source_type IS NOT NULL
      AND source_type NOT IN ('evaluation_report', 'self_evaluation', 'finance_evaluation')), true);

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

-- One project's budget execution rate and the definition it uses (execution_basis): 'received' = spent ÷
-- received, the evaluation reports' definition, wherever receipts are reported (and for every project that is
-- not a self-evaluation); 'budget' = 全年执行数 ÷ 全年预算数 (spent ÷ the adjusted budget, else the initial one),
-- the definition of the national 项目支出绩效自评表 (财预〔2020〕10号), for a self-evaluation (evaluator_type 自评)
-- that reports no receipts. Where the inputs are not reported but the document states the rate (figures:
-- execution_rate, scope total), the stated figure (execution_stated = true), with the same definition. NULL
-- (and basis NULL) where neither; execution_rate_stated = the stated figure, whichever is shown. One row per
-- project.
CREATE VIEW project_execution AS
WITH stated AS (
    SELECT project_id, min(value) AS value
    FROM figures
    WHERE kind = 'derived' AND figure = 'execution_rate' AND scope = 'total'
    GROUP BY project_id
), e AS (
    SELECT p.project_id, s.value AS stated,
           CASE WHEN m.received IS NOT NULL OR p.evaluator_type IS DISTINCT FROM '自评' THEN 'received'
                ELSE 'budget' END AS basis,
           CASE WHEN m.received IS NOT NULL THEN m.spent / nullif(m.received, 0)
                WHEN p.evaluator_type = '自评' THEN m.spent / nullif(m.budget, 0) END AS computed
    FROM projects p
    LEFT JOIN project_money m USING (project_id)
    LEFT JOIN stated s USING (project_id)
)
SELECT project_id,
       coalesce(computed, stated) AS execution_rate,
       CASE WHEN coalesce(computed, stated) IS NOT NULL THEN basis END AS execution_basis,
       computed IS NULL AND stated IS NOT NULL AS execution_stated,
       stated AS execution_rate_stated
FROM e;

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

-- Each selected project's money: budget, received, spent, the two rates (fractions, NULL where an input is not
-- reported) and the cut-off. One row per project, unordered: budget_projects.sql and
-- budget_projects_attention.sql order and cut it.
CREATE MACRO budget_project_rows(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) AS TABLE
SELECT p.project_id, p.name, p.short_name, p.name_en, p.period_start, p.period_end, p.data_cutoff,
       p.source, p.data_kind,
       m.initial_budget, m.adjusted_budget, m.budget, m.estimated_investment, m.received, m.spent,
       coalesce(m.as_of, p.data_cutoff) AS as_of,
       m.received / nullif(m.budget, 0) AS arrival_rate,
       e.execution_rate, e.execution_basis, e.execution_stated, p.evaluator_type,
       m.received - m.spent AS unspent
FROM selected_projects(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) p
LEFT JOIN project_money m USING (project_id)
LEFT JOIN project_execution e USING (project_id);

-- Each selected project's money per year (万元, NULL where the report gives none). One row per project × year,
-- unordered: budget_by_year.sql and budget_by_year_attention.sql order and cut it.
CREATE MACRO budget_year_rows(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) AS TABLE
SELECT b.project_id, p.short_name, p.data_kind, p.evaluator_type, b.year,
       sum(b.initial_budget) AS initial_budget,
       sum(b.adjusted_budget) AS adjusted_budget,
       coalesce(sum(b.adjusted_budget), sum(b.initial_budget)) AS budget,
       sum(b.estimated_investment) AS estimated_investment,
       sum(b.received) AS received,
       sum(b.spent) AS spent,
       max(b.as_of) AS as_of
FROM budget b
JOIN selected_projects(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) p USING (project_id)
GROUP BY ALL;

-- Each selected project's surveys (a project without one once, survey_id NULL) with the 有效率 the report
-- states. One row per project × survey, unordered: survey_projects.sql and survey_projects_attention.sql.
CREATE MACRO survey_project_rows(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) AS TABLE
SELECT p.project_id, p.short_name, p.name, p.name_en, p.data_kind,
       s.survey_id, s.name AS survey_name, s.conducted_by, s.respondents, s.questions, s.issued, s.valid,
       s.awareness_rate, s.satisfaction_rate, s.satisfaction_score, s.score_qualifier,
       s.n_very_satisfied, s.n_satisfied, s.n_neutral, s.n_dissatisfied, s.n_very_dissatisfied,
       s.level_text, s.quote, s.note,
       f.value AS stated_valid_rate
FROM selected_projects(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) p
LEFT JOIN surveys s USING (project_id)
LEFT JOIN figures f ON f.project_id = p.project_id AND f.kind = 'derived' AND f.figure = 'valid_rate'
                   AND f.scope = 'survey:' || s.survey_id;

-- Each selected project's targets with what was achieved; computed = met by the numbers (NULL where they
-- cannot say). One row per target (× year), unordered: targets_list.sql and targets_attention.sql.
CREATE MACRO target_rows(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) AS TABLE
SELECT t.project_id, p.short_name, p.data_kind, t.target_id, t.subproject_id, t.year, t.category, t.name,
       t.unit, t.operator, t.target_value, t.target_text, t.actual_value, t.actual_text, t.stated_met,
       t.indicator_code, t.note,
       CASE WHEN t.actual_value IS NULL OR t.target_value IS NULL OR t.operator IS NULL THEN NULL
            WHEN t.operator = '>=' THEN t.actual_value >= t.target_value - 1e-9
            WHEN t.operator = '<=' THEN t.actual_value <= t.target_value + 1e-9
            WHEN t.operator = '>' THEN t.actual_value > t.target_value + 1e-9
            WHEN t.operator = '<' THEN t.actual_value < t.target_value - 1e-9
            WHEN t.operator = '=' THEN abs(t.actual_value - t.target_value) <= 1e-9
       END AS computed
FROM targets t
JOIN selected_projects(f_region, f_year_from, f_year_to, f_category, f_evaluator_type) p USING (project_id);

-- The project pickers' search: every word of f_search (separated by single spaces) occurs, case-insensitive
-- and as plain text (% and _ are not wildcards), in the project's id, name, short name or English name;
-- NULL matches every project. search_exact: the id or a name is exactly the search text (listed first).
CREATE MACRO search_matches(f_search, id, name, short_name, name_en) AS
f_search IS NULL
OR list_bool_and(list_transform(string_split(lower(f_search), ' '),
                 lambda w: contains(lower(concat_ws(' ', id, name, short_name, name_en)), w)));
CREATE MACRO search_exact(f_search, id, name, short_name, name_en) AS
coalesce(lower(f_search) IN (lower(id), lower(name), lower(short_name), lower(name_en)), false);
