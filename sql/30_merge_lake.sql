-- Grain: lake_candidates has one row per ping that may be kept in the day partitions this run
-- touches: the rows already in those partitions (lake_existing) and this run's pings. A view: the
-- dedupe reads it once, nothing is copied.
-- Reads: pings, lake_existing. Makes: lake_candidates (from_run says which side a row came from).
-- A ping already in the lake (same source_key and entity_index) is not a new candidate: re-running
-- the same input leaves every partition byte-for-byte unchanged and it is reported as such.
CREATE OR REPLACE TEMP VIEW lake_candidates AS
SELECT *, false AS from_run FROM lake_existing
UNION ALL
SELECT p.*, true AS from_run
FROM pings AS p
ANTI JOIN lake_existing AS e ON p.source_key = e.source_key AND p.entity_index = e.entity_index;
