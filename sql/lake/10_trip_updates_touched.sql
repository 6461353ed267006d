-- Grain: one row per UTC day (of feed_timestamp) that this run's trip_updates rows fall in.
-- Reads: trip_updates_run. Makes: nothing (the partitions to read back and merge).
SELECT DISTINCT year(d) AS year, month(d) AS month, day(d) AS day
FROM (SELECT utc_date(feed_timestamp) AS d FROM trip_updates_run)
ORDER BY ALL;
