-- Grain: none: points {{view}} (trip_updates_run, trip_updates_existing, alerts_run or
-- alerts_existing) at Parquet files shaped like {{like}} (sql/lake/feed_tables.sql).
-- Reads: {{files}}. Makes: {{view}}.
CREATE OR REPLACE TEMP VIEW {{view}} AS
SELECT * FROM {{like}}
UNION ALL BY NAME
SELECT * FROM read_parquet({{files}}, union_by_name = true);
