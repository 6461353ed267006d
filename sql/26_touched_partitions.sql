-- Grain: one row per UTC day (of the ping's own timestamp) that this run's rows fall in.
-- Reads: pings. Makes: nothing (the list of partitions to read back and merge).
SELECT DISTINCT year("timestamp") AS year, month("timestamp") AS month, day("timestamp") AS day
FROM pings
WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
ORDER BY ALL;
