-- Grain: one row: how many distinct pings this run read. Reads: {{input}} (pings, or run_pings for
-- ingest). Makes: nothing (a report).
-- rows_kept counts the distinct pings under the grain ({{grain_columns}}: with --dedupe exact, every
-- data column too), so duplicates_dropped = valid rows read - rows_kept, whichever row is kept.
-- pings holds every row, run_pings each batch's winners: the same distinct pings.
SELECT count(*) AS rows_kept
FROM (
  SELECT DISTINCT {{grain_columns}}
  FROM {{input}}
  WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
);
