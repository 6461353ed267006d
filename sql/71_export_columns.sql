-- Grain: one row per column of the export view, in order. Reads: vehicle_positions
-- (sql/70_export_view.sql). Makes: nothing (the names --columns may choose from).
SELECT column_name, column_type FROM (DESCRIBE vehicle_positions);
