-- Grain: one row per column of the export view, in order. Reads: vehicle_positions
-- (sql/lake/vehicle_positions.sql, in the session sql/export/02_sandbox.sql closes). Makes: nothing (the names --columns may choose from).
SELECT column_name, column_type FROM (DESCRIBE vehicle_positions);
