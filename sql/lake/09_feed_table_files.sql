-- Grain: none: points {{view}} (trip_updates_run, trip_updates_existing, alerts_run or
-- alerts_existing) at Parquet files shaped like {{like}} (sql/lake/08_feed_tables.sql); a lake
-- partition's year/month/day live in its path and are not read as columns.
-- Reads: {{files}}. Makes: {{view}}.
CREATE OR REPLACE TEMP VIEW {{view}} AS
SELECT * FROM {{like}}
UNION ALL BY NAME
SELECT * FROM read_parquet({{files}}, hive_partitioning = false, union_by_name = true);
