-- Grain: vehicle_positions has one row per deduplicated ping of every day partition of the lake,
-- with year, month and day (INTEGER) taken from the hive folder names. Reads: {{glob}}, the absolute
-- path pattern of the partition files (the lake folder, or the local copy of an S3 lake), at query
-- time: days ingested later appear without re-running. Makes: the view, in a DuckDB database file.
CREATE OR REPLACE VIEW vehicle_positions AS
SELECT *
FROM read_parquet(
  {{glob}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
);
