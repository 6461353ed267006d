-- Grain: one row per row of the chosen lake table {{table}} (a ping, a prediction or an alert
-- version) of the chosen days that passes --where, with the chosen columns, in the table's own
-- order {{order}} (vehicle_id, timestamp for vehicle_positions; see src/pipeline/lakeTables.ts).
-- Reads: {{table}} (sql/export/02_sandbox.sql, the chosen partitions only). Makes: {{file}} in the
-- chosen format; timestamps stay UTC (INT64 microseconds in Parquet, "2022-01-01 00:00:03+00" in
-- CSV and JSON lines).
COPY (
  SELECT {{columns}}
  FROM {{table}}
  WHERE {{where}}
  ORDER BY {{order}}
) TO {{file}} ({{format}});
