-- Grain: {{view}} has one row per deduplicated ping of the lake's day partitions {{files}} (a list
-- of Parquet files, or an absolute path pattern read at query time, so days ingested later appear
-- without re-running), with year, month and day (INTEGER) from the hive folder names, last.
-- Reads: {{files}} (local files: the lake folder, or the local copy of an S3 lake). Makes: the view,
-- for the workbench and query (vehicle_positions or lake_vehicle_positions), the DuckDB catalog
-- file and the export's session. Files written with another column order read by name.
CREATE OR REPLACE VIEW {{view}} AS
SELECT * EXCLUDE (year, month, day), year, month, day
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
);
