-- Grain: pings holds one row per entity[].vehicle of every loaded feed file, before deduplication
-- (the 17 seed columns plus lineage), when every row is kept (dedupe reports, the workbench);
-- ingest keeps each batch's winners in Parquet files instead (sql/16_keep_batch_winners.sql).
-- Reads: nothing. Makes: the empty tables that sql/10_load_batch.sql appends to.
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

-- Rows already in the lake partitions this run touches: none until sql/35_lake_existing.sql points
-- this view at their Parquet files.
CREATE OR REPLACE TEMP VIEW lake_existing AS SELECT * FROM pings LIMIT 0;
