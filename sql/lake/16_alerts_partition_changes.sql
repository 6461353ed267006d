-- Grain: one row per touched UTC day partition of alerts. Reads: alerts_kept, alerts_existing.
-- Makes: alerts_changes (changed = false when the merged versions are exactly the partition's: a
-- later sighting only moves last_seen, which is a change) and returns it.
CREATE OR REPLACE TEMP TABLE alerts_changes AS
WITH merged AS (
  SELECT day_date, count(*) AS rows FROM alerts_kept GROUP BY day_date
),
existing AS (
  SELECT utc_date(first_seen) AS day_date, count(*) AS rows FROM alerts_existing GROUP BY ALL
),
differing AS (
  SELECT DISTINCT day_date FROM (
    (SELECT * EXCLUDE (day_date), day_date FROM alerts_kept
     EXCEPT ALL
     SELECT *, utc_date(first_seen) AS day_date FROM alerts_existing)
  )
)
SELECT
  year(m.day_date) AS year, month(m.day_date) AS month, day(m.day_date) AS day, m.day_date,
  m.rows, coalesce(e.rows, 0) AS rows_before,
  (m.day_date IN (SELECT day_date FROM differing) OR m.rows <> coalesce(e.rows, 0)) AS changed
FROM merged AS m
LEFT JOIN existing AS e USING (day_date);

SELECT year, month, day, rows, rows_before, changed, 0 AS rows_already_in_lake
FROM alerts_changes
ORDER BY day_date;
