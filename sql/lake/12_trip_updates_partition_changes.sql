-- Grain: one row per touched UTC day partition of trip_updates. Reads: trip_updates_kept,
-- trip_updates_existing. Makes: trip_updates_changes (changed = false when the merge keeps exactly
-- the rows the partition holds) and returns it, with how many of the run's rows were already there.
CREATE OR REPLACE TEMP TABLE trip_updates_changes AS
WITH merged AS (
  SELECT day_date, count(*) AS rows, count(*) FILTER (WHERE from_run) AS new_rows
  FROM trip_updates_kept
  GROUP BY day_date
),
existing AS (
  SELECT utc_date(feed_timestamp) AS day_date, count(*) AS rows FROM trip_updates_existing GROUP BY ALL
)
SELECT
  year(m.day_date) AS year, month(m.day_date) AS month, day(m.day_date) AS day, m.day_date,
  m.rows, coalesce(e.rows, 0) AS rows_before,
  (m.new_rows > 0 OR m.rows <> coalesce(e.rows, 0)) AS changed
FROM merged AS m
LEFT JOIN existing AS e USING (day_date);

SELECT
  c.year, c.month, c.day, c.rows, c.rows_before, c.changed,
  (SELECT count(*) FROM trip_updates_run SEMI JOIN trip_updates_existing USING (source_key, entity_index, update_index))
    AS rows_already_in_lake
FROM trip_updates_changes AS c
ORDER BY c.day_date;
