-- Grain: one row: what this run read. Reads: pings, run_deduped (sql/20_dedupe.sql over pings).
-- Makes: nothing (a report). duplicates_dropped = valid rows - rows kept by the rule.
SELECT
  count(*)                                                             AS rows_read,
  count(*) FILTER (WHERE vehicle_id IS NULL)                           AS missing_vehicle_id,
  count(*) FILTER (WHERE vehicle_id IS NOT NULL AND "timestamp" IS NULL) AS missing_timestamp,
  (SELECT count(*) FROM run_deduped)                                   AS rows_kept
FROM pings;
