-- Grain: one row per ping already stored in the lake partitions this run touches.
-- Reads: their Parquet files {{files}} (local copies). Makes: the view lake_existing, columns named
-- (not positional) so a file written with another column order, or with the partition columns
-- inside, still reads correctly. A view: a full day's partition is read when merged, not held.
CREATE OR REPLACE TEMP VIEW lake_existing AS
SELECT
  feed_timestamp, vehicle_id, current_status, current_stop_sequence, occupancy_status,
  bearing, latitude, longitude, stop_id, "timestamp", direction_id, route_id,
  schedule_relationship, start_date, start_time, trip_id, label, source_key, entity_index
FROM read_parquet({{files}}, hive_partitioning = false, union_by_name = true);
