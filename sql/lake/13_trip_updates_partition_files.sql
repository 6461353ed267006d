-- Grain: one Parquet file per changed UTC day partition of trip_updates, in load order. Reads:
-- trip_updates_kept, trip_updates_changes. Makes: {{staging}}/year=Y/month=M/day=D/data_0.parquet
-- (the partition columns live in the path; timestamps INT64 microseconds adjusted to UTC, zstd).
COPY (
  SELECT
    k.* EXCLUDE (from_run, day_date),
    year(k.day_date) AS year, month(k.day_date) AS month, day(k.day_date) AS day
  FROM trip_updates_kept AS k
  JOIN trip_updates_changes AS c ON c.changed AND c.day_date = k.day_date
) TO {{staging}} (
  FORMAT parquet,
  PARTITION_BY (year, month, day),
  COMPRESSION zstd,
  FILENAME_PATTERN 'data_{i}',
  OVERWRITE_OR_IGNORE true
);
