-- Grain: pings holds one row per entity[].vehicle of every loaded feed file, before deduplication
-- (the 17 seed columns plus lineage).
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


-- Rows already in the lake partitions this run touches (read back from their Parquet files).
CREATE TABLE IF NOT EXISTS lake_existing AS SELECT * FROM pings LIMIT 0;
