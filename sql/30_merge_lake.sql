-- Grain: lake_merged has one row per ping (the dedupe grain) for every day partition this run
-- touches: the rows already in those partitions (lake_existing) merged with this run's pings.
-- Reads: pings, lake_existing. Makes: lake_candidates (rows to deduplicate), partition_changes.
-- A ping already in the lake (same source_key and entity_index) is not a new candidate: re-running
-- the same input leaves every partition byte-for-byte unchanged and it is reported as such.
CREATE OR REPLACE TEMP TABLE lake_candidates AS
SELECT *, false AS from_run FROM lake_existing
UNION ALL
SELECT p.*, true AS from_run
FROM pings AS p
ANTI JOIN lake_existing AS e ON p.source_key = e.source_key AND p.entity_index = e.entity_index;
