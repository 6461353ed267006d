-- Grain: one row per UTC day (of the ping's own timestamp) that this run's rows fall in.
-- Reads: run_pings. Makes: nothing (the list of partitions to read back and merge).
SELECT DISTINCT year(d) AS year, month(d) AS month, day(d) AS day
FROM (SELECT utc_date("timestamp") AS d FROM run_pings)
ORDER BY ALL;
