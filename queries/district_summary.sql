-- How do the districts (regions) compare: projects, mean score, grades, money, execution, satisfaction
-- and one outcome per 万元?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (sidebar filters, NULL = any);
--             $year (one budget year = year(period_start); NULL = every year the filters select);
--             $metric_key (the outcome to put per 万元; NULL gives NULL outcome columns).
-- One row per region_code (a district, or a city / province for projects run at that level).
-- Rates are money-weighted over the projects that report both inputs: execution = Σspent / Σreceived (a
-- self-evaluation without receipts counting its budget, 全年预算数, as its form defines 执行率),
-- outcome per 万元 = Σoutcome / Σspent. mean_score is the plain mean of the reported totals.
-- data_kind is 'demo' when any of the region's projects is demonstration data. region_short: the most
-- specific non-blank of district, city, province, else the region code (perfeval.domain.compare.short_region_label;
-- the class [\t\n\x{0B}\f\r\x{1C}-\x{1F}\x{85}\p{Z}] is what Python's re means by \s).
WITH p AS (
    SELECT * FROM selected_projects($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE ($year IS NULL OR year(period_start) = $year)
),
o AS (SELECT * FROM project_outcome($metric_key)),
s AS (SELECT * FROM project_satisfaction),
pr AS (
    SELECT p.*, m.budget, m.received, m.spent, o.outcome_value, s.satisfaction,
           -- the execution rate's denominator by the project's definition (queries/_views.sql project_execution)
           CASE WHEN e.execution_stated THEN NULL
                WHEN e.execution_basis = 'budget' THEN m.budget ELSE m.received END AS execution_base
    FROM p
    LEFT JOIN project_money m USING (project_id)
    LEFT JOIN project_execution e USING (project_id)
    LEFT JOIN o USING (project_id)
    LEFT JOIN s USING (project_id)
),
d AS (
    SELECT region_code,
           any_value(province) AS province, any_value(city) AS city, any_value(district) AS district,
           CASE WHEN bool_or(data_kind = 'demo') THEN 'demo' ELSE min(data_kind) END AS data_kind,
           count(*) AS projects,
           count(reported_total_score) AS scored,
           avg(reported_total_score) AS mean_score,
           min(reported_total_score) AS min_score,
           max(reported_total_score) AS max_score,
           count(*) FILTER (WHERE reported_grade = '优') AS grade_you,
           count(*) FILTER (WHERE reported_grade = '良') AS grade_liang,
           count(*) FILTER (WHERE reported_grade = '中') AS grade_zhong,
           count(*) FILTER (WHERE reported_grade = '差') AS grade_cha,
           sum(budget) AS budget,
           sum(received) AS received,
           sum(spent) AS spent,
           sum(spent) FILTER (WHERE execution_base > 0 AND spent IS NOT NULL)
             / nullif(sum(execution_base) FILTER (WHERE execution_base > 0 AND spent IS NOT NULL), 0) AS execution_rate,
           sum(outcome_value) FILTER (WHERE spent > 0)
             / nullif(sum(spent) FILTER (WHERE spent > 0 AND outcome_value IS NOT NULL), 0) AS outcome_per_wan,
           sum(outcome_value) AS outcome_value,
           avg(satisfaction) AS satisfaction,
           count(satisfaction) AS surveyed,
           min(year(period_start)) AS year_min, max(year(period_start)) AS year_max
    FROM pr
    GROUP BY region_code
)
SELECT d.*,
       CASE WHEN regexp_matches(district, '[^\t\n\x{0B}\f\r\x{1C}-\x{1F}\x{85}\p{Z}]') THEN district
            WHEN regexp_matches(city, '[^\t\n\x{0B}\f\r\x{1C}-\x{1F}\x{85}\p{Z}]') THEN city
            WHEN regexp_matches(province, '[^\t\n\x{0B}\f\r\x{1C}-\x{1F}\x{85}\p{Z}]') THEN province
            ELSE region_code END AS region_short
FROM d
ORDER BY mean_score DESC NULLS LAST, region_code
