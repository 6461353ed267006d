-- Grain: pings gets every vehicle row of the batch, as read (for `dedupe` and the workbench over
-- raw sources, which show every copy of a ping). Reads: batch_kept (sql/10_load_batch.sql with
-- every_row), load_keys. Makes: rows appended to pings, lineage (source_key, entity_index).
INSERT INTO pings
SELECT
  b.feed_timestamp, b.vehicle_id, b.current_status, b.current_stop_sequence, b.occupancy_status,
  b.bearing, b.latitude, b.longitude, b.stop_id, b."timestamp", b.direction_id, b.route_id,
  b.schedule_relationship, b.start_date, b.start_time, b.trip_id, b.label,
  k.source_key, b.entity_index
FROM batch_kept AS b
JOIN load_keys AS k USING (file_rank)
WHERE b.is_vehicle;

-- The batch is done: free its rows before the next batch is read.
DROP TABLE batch_kept;
