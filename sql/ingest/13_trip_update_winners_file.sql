-- Grain: one row per prediction the batch's files can still contribute: trip_update_batch_kept's
-- winners (sql/ingest/12_trip_update_batch_kept.sql), shaped like the trip_updates table.
-- Reads: trip_update_batch_kept, load_keys. Makes: {{kept_file}}, a Parquet file in the run's
-- work folder, then frees the batch's rows.
COPY (
  SELECT
    b.feed_timestamp, b.trip_update_timestamp, b.trip_id, b.route_id, b.direction_id, b.start_date,
    b.start_time, b.trip_schedule_relationship, b.vehicle_id, b.vehicle_label, b.stop_sequence,
    b.stop_id, b.arrival_time, b.departure_time, b.arrival_delay, b.departure_delay,
    b.arrival_uncertainty, b.departure_uncertainty, b.stop_schedule_relationship,
    k.source_key, b.entity_index, b.update_index
  FROM trip_update_batch_kept AS b
  JOIN load_keys AS k USING (file_rank)
  WHERE b.winner
) TO {{kept_file}} (FORMAT parquet, COMPRESSION lz4_raw);

DROP TABLE trip_update_batch_kept;
