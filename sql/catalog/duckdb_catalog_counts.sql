-- Grain: one row: the rows and day partitions the catalog's view sees right now.
-- Reads: vehicle_positions (sql/lake/vehicle_positions.sql). Makes: nothing (a report).
SELECT count(*) AS rows, count(DISTINCT (year, month, day)) AS partitions FROM vehicle_positions;
