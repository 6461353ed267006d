-- Grain: one row per example duplicate group: conflicting groups first (where the rule's choice
-- changes the data), largest first, then by vehicle and time, so the choice is deterministic.
-- Reads: duplicate_groups, {{vehicle}}, {{limit}}. Makes: nothing.
SELECT vehicle_id, "timestamp", epoch_us("timestamp") AS ts_us, candidates, conflicting, differing_columns
FROM duplicate_groups
WHERE {{vehicle}} IS NULL OR vehicle_id = {{vehicle}}
ORDER BY conflicting DESC, len(differing_columns) DESC, candidates DESC, vehicle_id, "timestamp"
LIMIT {{limit}};
