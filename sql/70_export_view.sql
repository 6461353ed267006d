-- Grain: vehicle_positions has one row per deduplicated ping of the chosen day partitions only,
-- with year, month and day (INTEGER) from the folder names. Reads: {{files}}, those partitions'
-- Parquet files, nothing else. Makes: the view; then the session is closed to every file outside
-- {{allowed}} (the partitions' folder, the export's work folder) and its settings are locked,
-- because --where is user SQL: it can read this view, and cannot read or write anything else.
CREATE VIEW vehicle_positions AS
SELECT *
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
);

SET allowed_directories = {{allowed}};
SET enable_external_access = false;
SET lock_configuration = true;
