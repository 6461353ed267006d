-- Grain: one row: the rows and day partitions the catalog's view {{view}} sees right now.
-- Reads: {{view}} (sql/lake/vehicle_positions.sql, made for each lake table). Makes: nothing (a report).
SELECT count(*) AS rows, count(DISTINCT (year, month, day)) AS partitions FROM {{view}};
