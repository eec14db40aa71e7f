-- Which outcome metrics can be put per 万元 spent, among the projects the sidebar's filters select?
-- Parameters: $region, $year_from, $year_to, $category, $evaluator_type (NULL = any).
-- One row per metric: counts and amounts only (rates, ranks, durations and peaks are left out: they
-- do not grow with money), most widely reported first.
SELECT m.metric_key, m.name_zh, m.name_en, m.unit, m.category, m.direction,
       count(DISTINCT o.project_id) AS projects
FROM outcomes o
JOIN metrics m USING (metric_key)
WHERE o.project_id IN (SELECT project_id FROM selected_projects($region, $year_from, $year_to, $category,
                                                                 $evaluator_type))
  AND m.unit NOT IN ('%', '名', '个月', '天', '起')
GROUP BY ALL
ORDER BY projects DESC, m.metric_key
