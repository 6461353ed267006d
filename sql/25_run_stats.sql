-- Grain: one row: what this run read. Reads: pings. Makes: nothing (a report).
-- rows_kept counts the distinct pings under the grain ({{exact_columns}} adds the data columns for
-- --dedupe exact), so duplicates_dropped = valid rows - rows_kept, whichever row the rule keeps.
SELECT
  (SELECT count(*) FROM pings)                                                 AS rows_read,
  (SELECT count(*) FROM pings WHERE vehicle_id IS NULL)                        AS missing_vehicle_id,
  (SELECT count(*) FROM pings WHERE vehicle_id IS NOT NULL AND "timestamp" IS NULL) AS missing_timestamp,
  (SELECT count(*) FROM (
     SELECT DISTINCT vehicle_id, "timestamp"{{exact_columns}}
     FROM pings
     WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
  ))                                                                           AS rows_kept;
