-- How many of the selected projects' targets were met, not met, or have no verdict, and where do the
-- figures and the report's conclusion disagree?
-- Parameters: the sidebar filters ($region, $year_from, $year_to, $category, $evaluator_type) and
--             $project_id (NULL = every selected project).
-- One row. The verdict is perfeval.domain.outcomes.target_verdict's: computed = actual <operator> target (1e-9
-- tolerance) where all three are given, else the report's conclusion (stated_met); disagree = both exist and
-- differ. numeric = targets with an actual and a non-zero target value (the ones the chart can draw),
-- numeric_projects = the projects they belong to; with_actual = targets with an actual value.
-- Counts are 0 when there is no target.
WITH t AS (
    SELECT * FROM target_rows($region, $year_from, $year_to, $category, $evaluator_type)
    WHERE ($project_id IS NULL OR project_id = $project_id)
)
SELECT count(*) AS targets,
       count(*) FILTER (WHERE coalesce(computed, stated_met) = true) AS met,
       count(*) FILTER (WHERE coalesce(computed, stated_met) = false) AS not_met,
       count(*) FILTER (WHERE coalesce(computed, stated_met) IS NULL) AS no_verdict,
       count(*) FILTER (WHERE computed IS NOT NULL AND stated_met IS NOT NULL AND computed <> stated_met) AS disagree,
       count(*) FILTER (WHERE actual_value IS NOT NULL AND target_value IS NOT NULL AND target_value <> 0) AS numeric,
       count(DISTINCT project_id) FILTER (WHERE actual_value IS NOT NULL AND target_value IS NOT NULL
                                          AND target_value <> 0) AS numeric_projects,
       count(actual_value) AS with_actual
FROM t
