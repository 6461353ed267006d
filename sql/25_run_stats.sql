-- Grain: one row: how many distinct pings this run read. Reads: pings. Makes: nothing (a report).
-- rows_kept counts the distinct pings under the grain ({{exact_columns}} adds the data columns for
-- --dedupe exact), so duplicates_dropped = valid rows read - rows_kept, whichever row the rule keeps.
-- pings holds every row (raw sources) or each batch's winners (ingest): the same distinct pings.
SELECT count(*) AS rows_kept
FROM (
  SELECT DISTINCT vehicle_id, "timestamp"{{exact_columns}}
  FROM pings
  WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
);
