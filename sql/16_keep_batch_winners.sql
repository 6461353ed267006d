-- Grain: one row per ping the batch's files can still contribute: batch_kept's winners (see
-- sql/10_load_batch.sql). Reads: batch_kept, load_keys. Makes: {{kept_file}}, a Parquet file in
-- the run's work folder shaped like pings (compressed: a full day's winners take ~150 MB of disk
-- instead of ~1.3 GB of DuckDB memory). 
COPY (
  SELECT
    b.feed_timestamp, b.vehicle_id, b.current_status, b.current_stop_sequence, b.occupancy_status,
    b.bearing, b.latitude, b.longitude, b.stop_id, b."timestamp", b.direction_id, b.route_id,
    b.schedule_relationship, b.start_date, b.start_time, b.trip_id, b.label,
    k.source_key, b.entity_index
  FROM batch_kept AS b
  JOIN load_keys AS k USING (file_rank)
  WHERE b.winner
) TO {{kept_file}} (FORMAT parquet, COMPRESSION lz4_raw);

-- The batch is done: free its rows before the next batch is read.
DROP TABLE batch_kept;
