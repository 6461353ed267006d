-- Grain: one row per column of the export view {{table}}, in order. Reads: {{table}}
-- (sql/lake/vehicle_positions.sql over the chosen partitions of that lake table, in the session
-- sql/export/02_sandbox.sql closes). Makes: nothing (the names --columns may choose from).
SELECT column_name, column_type FROM (DESCRIBE {{table}});
