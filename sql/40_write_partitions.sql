-- Grain: one Parquet file per changed UTC day partition, rows sorted by (vehicle_id, timestamp).
-- Reads: lake_merged, partition_changes. Makes: {{staging}}/year=Y/month=M/day=D/data_0.parquet
-- (no zero padding; the partition columns live in the path, as Athena and Hive expect). Timestamps
-- are written as INT64 microseconds adjusted to UTC, readable by Athena engine v3 and Spark.
COPY (
  SELECT
    m.* EXCLUDE (from_run),
    year(utc_date(m."timestamp")) AS year, month(utc_date(m."timestamp")) AS month, day(utc_date(m."timestamp")) AS day
  FROM lake_merged AS m
  SEMI JOIN partition_changes AS c
    ON c.changed AND c.day_date = utc_date(m."timestamp")
  ORDER BY m.vehicle_id, m."timestamp"
) TO {{staging}} (
  FORMAT parquet,
  PARTITION_BY (year, month, day),
  COMPRESSION zstd,
  FILENAME_PATTERN 'data_{i}',
  OVERWRITE_OR_IGNORE true
);
