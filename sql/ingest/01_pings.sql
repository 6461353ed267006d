-- Grain: pings holds one row per entity[].vehicle of every loaded feed file, before deduplication
-- (the 17 seed columns plus lineage), when every row is kept (dedupe reports, the workbench);
-- ingest keeps each batch's winners in Parquet files instead (sql/ingest/05_batch_winners_file.sql).
-- Reads: nothing. Makes: pings, which sql/ingest/05_pings_append.sql appends to, and the empty
-- views run_pings and lake_existing (below).
CREATE TABLE IF NOT EXISTS pings (
  feed_timestamp        TIMESTAMPTZ,
  vehicle_id            VARCHAR,
  current_status        VARCHAR,
  current_stop_sequence INTEGER,
  occupancy_status      VARCHAR,
  bearing               DOUBLE,
  latitude              DOUBLE,
  longitude             DOUBLE,
  stop_id               VARCHAR,
  "timestamp"           TIMESTAMPTZ,
  direction_id          INTEGER,
  route_id              VARCHAR,
  schedule_relationship VARCHAR,
  start_date            VARCHAR,
  start_time            VARCHAR,
  trip_id               VARCHAR,
  label                 VARCHAR,
  source_key            VARCHAR,
  entity_index          INTEGER
);

-- The last batch's winners (sql/ingest/05_last_batch_winners.sql), shaped like pings.
CREATE TEMP TABLE IF NOT EXISTS last_batch_winners AS SELECT * FROM pings LIMIT 0;

-- This run's batch winners: the last batch's, until sql/ingest/07_run_pings.sql adds the other
-- batches' Parquet files (a run that kept no row, every file skipped or without vehicles, leaves
-- it empty).
CREATE OR REPLACE TEMP VIEW run_pings AS SELECT * FROM last_batch_winners;

-- Rows already in the lake partitions this run touches: none until sql/lake/03_lake_existing.sql
-- points this view at their Parquet files.
CREATE OR REPLACE TEMP VIEW lake_existing AS SELECT * FROM pings LIMIT 0;
