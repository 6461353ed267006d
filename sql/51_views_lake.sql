-- Grain: {{view}} (vehicle_positions by default) over a written lake: one row per deduplicated ping.
-- Reads: {{glob}} (the lake's vehicle_positions/**/*.parquet, local). Makes: the view, with the
-- partition columns year/month/day from the hive paths.
CREATE OR REPLACE VIEW {{view}} AS
SELECT * EXCLUDE (year, month, day), year, month, day
FROM read_parquet({{glob}}, hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER});
