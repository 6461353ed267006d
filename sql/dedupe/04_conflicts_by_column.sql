-- Grain: one row per data column: in how many duplicate groups the candidates differ in it.
-- Reads: duplicate_groups, {{vehicle}} (NULL = all). Makes: nothing (part of the dedupe report).
SELECT col AS "column", count(*) AS groups
FROM (
  SELECT unnest(differing_columns) AS col
  FROM duplicate_groups
  WHERE {{vehicle}} IS NULL OR vehicle_id = {{vehicle}}
)
GROUP BY col
ORDER BY groups DESC, col;
