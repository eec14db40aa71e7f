-- How did one project score on each level-1 dimension (决策 / 过程 / 产出 / 效益)?
-- Parameters: $project_id.
-- One row per level-1 indicator the report gives, in the report's order. weight and score are the
-- report's own where it states them; where it states only the leaves below (福田 gives level 3 only),
-- they are summed from the children and `derived` is true; a sum with a child's figure unknown is
-- unknown (a partial sum would understate it), and so is the sum of a node whose own weight its listed
-- children do not fill (a branch left out: the sum would count it as zero). score_rate = score / weight.
WITH tree AS (
    SELECT * FROM indicators WHERE project_id = $project_id
),
l2 AS (
    SELECT c2.code, c2.parent_code,
           coalesce(c2.weight, complete_sum(c3.weight, count(c3.code))) AS weight,
           coalesce(c2.reported_score,
                    CASE WHEN c2.weight IS NULL
                              OR abs(c2.weight - complete_sum(c3.weight, count(c3.code))) <= 0.005
                         THEN complete_sum(c3.reported_score, count(c3.code)) END) AS score,
           (c2.weight IS NULL AND count(c3.code) > 0) AS derived
    FROM tree c2 LEFT JOIN tree c3 ON c3.parent_code = c2.code AND c3.level = 3
    WHERE c2.level = 2
    GROUP BY c2.code, c2.parent_code, c2.weight, c2.reported_score
)
SELECT l1.code, l1.name, l1.name_en,
       coalesce(l1.weight, complete_sum(l2.weight, count(l2.code))) AS weight,
       coalesce(l1.reported_score, CASE WHEN l1.weight IS NULL
                                             OR abs(l1.weight - complete_sum(l2.weight, count(l2.code))) <= 0.005
                                        THEN complete_sum(l2.score, count(l2.code)) END) AS reported_score,
       coalesce(l1.reported_score, CASE WHEN l1.weight IS NULL
                                             OR abs(l1.weight - complete_sum(l2.weight, count(l2.code))) <= 0.005
                                        THEN complete_sum(l2.score, count(l2.code)) END)
           / nullif(coalesce(l1.weight, complete_sum(l2.weight, count(l2.code))), 0) AS score_rate,
       (l1.weight IS NULL AND count(l2.code) > 0) OR coalesce(bool_or(l2.derived), false) AS derived,
       l1.source
FROM tree l1 LEFT JOIN l2 ON l2.parent_code = l1.code
WHERE l1.level = 1
GROUP BY l1.code, l1.name, l1.name_en, l1.weight, l1.reported_score, l1.source, l1.sort_order
ORDER BY coalesce(l1.sort_order, 0), l1.code
