-- Grain: one Parquet file per changed UTC day partition of alerts, ordered by first_seen. Reads:
-- alerts_kept, alerts_changes. Makes: {{staging}}/year=Y/month=M/day=D/data_0.parquet.
COPY (
  SELECT
    k.* EXCLUDE (day_date),
    year(k.day_date) AS year, month(k.day_date) AS month, day(k.day_date) AS day
  FROM alerts_kept AS k
  JOIN alerts_changes AS c ON c.changed AND c.day_date = k.day_date
  ORDER BY k.first_seen, k.alert_id, k.source_key
) TO {{staging}} (
  FORMAT parquet,
  PARTITION_BY (year, month, day),
  COMPRESSION zstd,
  FILENAME_PATTERN 'data_{i}',
  OVERWRITE_OR_IGNORE true
);
