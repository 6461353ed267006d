-- Grain: one row per UTC day partition (year, month, day of the ping's own timestamp) touched by
-- this run. Reads: lake_kept (the kept rows), lake_existing. Makes: partition_changes,
-- with changed = false when the merge keeps exactly the rows the partition already holds, and
-- returns it (the stage's report, one row per partition).
CREATE OR REPLACE TEMP TABLE partition_changes AS
WITH merged AS (
  SELECT
    year(day_date) AS year, month(day_date) AS month, day(day_date) AS day,
    count(*) AS rows,
    count(*) FILTER (WHERE from_run) AS new_rows
  FROM lake_kept
  GROUP BY ALL
),
existing AS (
  SELECT year(utc_date("timestamp")) AS year, month(utc_date("timestamp")) AS month, day(utc_date("timestamp")) AS day, count(*) AS rows
  FROM lake_existing
  GROUP BY ALL
)
SELECT
  m.year, m.month, m.day, make_date(m.year, m.month, m.day) AS day_date, m.rows,
  coalesce(e.rows, 0) AS rows_before,
  m.new_rows,
  (m.new_rows > 0 OR m.rows <> coalesce(e.rows, 0)) AS changed
FROM merged AS m
LEFT JOIN existing AS e USING (year, month, day)
ORDER BY m.year, m.month, m.day;

SELECT year, month, day, rows, rows_before, changed FROM partition_changes ORDER BY year, month, day;
