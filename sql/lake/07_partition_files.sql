-- Grain: one Parquet file per changed UTC day partition, in load order (batches follow the listing,
-- so row groups cover stretches of time and a time filter skips most of them). Not sorted: sorting a
-- day (4 M rows) cost 4 s and most of the memory budget. Reads: lake_candidates, lake_kept,
-- partition_changes. Makes:
-- {{staging}}/year=Y/month=M/day=D/data_0.parquet (no zero padding; the partition columns live in
-- the path, as Athena and Hive expect). Timestamps are written as INT64 microseconds adjusted to
-- UTC, readable by Athena engine v3 and Spark.
COPY (
  SELECT
    c.feed_timestamp, c.vehicle_id, c.current_status, c.current_stop_sequence, c.occupancy_status,
    c.bearing, c.latitude, c.longitude, c.stop_id, c."timestamp", c.direction_id, c.route_id,
    c.schedule_relationship, c.start_date, c.start_time, c.trip_id, c.label,
    c.source_key, c.entity_index,
    year(k.day_date) AS year, month(k.day_date) AS month, day(k.day_date) AS day
  FROM lake_candidates AS c
  JOIN lake_kept AS k USING (merge_rank, entity_index)
  JOIN partition_changes AS p ON p.changed AND p.day_date = k.day_date
) TO {{staging}} (
  FORMAT parquet,
  PARTITION_BY (year, month, day),
  COMPRESSION zstd,
  FILENAME_PATTERN 'data_{i}',
  OVERWRITE_OR_IGNORE true
);
