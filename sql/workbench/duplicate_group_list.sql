-- Grain: one row per duplicate group (vehicle_id, timestamp with more than one candidate), conflicting
-- groups first, at most 1000. Reads: duplicate_groups (sql/50). Makes: the dedupe panel's list; ts_us
-- names the group's timestamp exactly, differing is the differing columns as one comma-separated text.
SELECT vehicle_id,
       CAST("timestamp" AS VARCHAR) AS "timestamp",
       CAST(candidates AS INTEGER) AS candidates,
       conflicting,
       array_to_string(differing_columns, ', ') AS differing,
       CAST(epoch_us("timestamp") AS VARCHAR) AS ts_us
FROM duplicate_groups
ORDER BY conflicting DESC, candidates DESC, vehicle_id, "timestamp"
LIMIT 1000
