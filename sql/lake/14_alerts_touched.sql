-- Grain: one row per UTC day (of the sightings' feed_timestamp) that this run's alert versions fall in.
-- Reads: alerts_run. Makes: nothing (the partitions to read back and merge).
SELECT DISTINCT year(d) AS year, month(d) AS month, day(d) AS day
FROM (SELECT utc_date(first_seen) AS d FROM alerts_run)
ORDER BY ALL;
