-- Grain: one Parquet file per changed UTC day partition, rows sorted by (vehicle_id, timestamp).
-- Reads: lake_candidates, lake_kept, partition_changes, merge_keys. Makes:
-- {{staging}}/year=Y/month=M/day=D/data_0.parquet (no zero padding; the partition columns live in
-- the path, as Athena and Hive expect). Timestamps are written as INT64 microseconds adjusted to
-- UTC, readable by Athena engine v3 and Spark.
COPY (
  SELECT
    c.feed_timestamp, c.vehicle_id, c.current_status, c.current_stop_sequence, c.occupancy_status,
    c.bearing, c.latitude, c.longitude, c.stop_id, c."timestamp", c.direction_id, c.route_id,
    c.schedule_relationship, c.start_date, c.start_time, c.trip_id, c.label,
    m.source_key, c.entity_index,
    year(k.day_date) AS year, month(k.day_date) AS month, day(k.day_date) AS day
  FROM lake_candidates AS c
  JOIN lake_kept AS k USING (merge_rank, entity_index)
  JOIN partition_changes AS p ON p.changed AND p.day_date = k.day_date
  JOIN merge_keys AS m USING (merge_rank)
  ORDER BY c.vehicle_id, c."timestamp"
) TO {{staging}} (
  FORMAT parquet,
  PARTITION_BY (year, month, day),
  COMPRESSION zstd,
  FILENAME_PATTERN 'data_{i}',
  OVERWRITE_OR_IGNORE true
);
