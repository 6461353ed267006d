-- Grain: one row per touched partition. Reads: partition_changes. Makes: nothing (a report).
SELECT year, month, day, rows, rows_before, changed FROM partition_changes ORDER BY year, month, day;
