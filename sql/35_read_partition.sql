-- Grain: one row per ping already stored in a lake partition. Reads: the partition's Parquet file
-- {{file}}. Makes: rows appended to lake_existing, columns named (not positional) so a file written
-- with another column order, or with the partition columns inside, still reads correctly.
INSERT INTO lake_existing BY NAME
SELECT
  feed_timestamp, vehicle_id, current_status, current_stop_sequence, occupancy_status,
  bearing, latitude, longitude, stop_id, "timestamp", direction_id, route_id,
  schedule_relationship, start_date, start_time, trip_id, label, source_key, entity_index
FROM read_parquet({{file}}, hive_partitioning = false);
