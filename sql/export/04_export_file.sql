-- Grain: one row per ping of the chosen days that passes --where, with the chosen columns, in the
-- lake's own order (vehicle_id, timestamp). Reads: vehicle_positions (sql/export/02_sandbox.sql, the
-- chosen partitions only). Makes: {{file}} in the chosen format; timestamps stay UTC (INT64
-- microseconds in Parquet, "2022-01-01 00:00:03+00" in CSV and JSON lines).
COPY (
  SELECT {{columns}}
  FROM vehicle_positions
  WHERE {{where}}
  ORDER BY vehicle_id, "timestamp"
) TO {{file}} ({{format}});
