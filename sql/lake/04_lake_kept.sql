-- Grain: lake_kept has one row per ping kept in the day partitions this run touches, under the
-- dedupe rule (sql/dedupe/01_vehicle_positions.sql), chosen among the rows already in those partitions
-- (lake_existing) and this run's batch winners (run_pings).
-- Reads: run_pings, lake_existing.
-- Makes: merge_keys (every source key of both sides, ranked in VARCHAR order: merge_rank orders like
-- source_key, and the dedupe sorts 4-byte integers instead of ~90-byte keys sharing a long prefix),
-- the views lake_lineage and lake_candidates (both sides, from_run says which) and lake_kept (the
-- kept rows' lineage, day and side: ~16 bytes a row, not the rows).
-- A ping already in the lake (same source_key and entity_index) is not a new candidate: re-running
-- the same input leaves every partition byte-for-byte unchanged and it is reported as such.
CREATE OR REPLACE TEMP TABLE merge_keys AS
SELECT source_key, row_number() OVER (ORDER BY source_key)::INTEGER AS merge_rank
FROM (SELECT DISTINCT source_key FROM run_pings UNION SELECT DISTINCT source_key FROM lake_existing);

CREATE OR REPLACE TEMP VIEW lake_lineage AS
SELECT m.merge_rank, e.entity_index
FROM lake_existing AS e
JOIN merge_keys AS m USING (source_key);

CREATE OR REPLACE TEMP VIEW lake_candidates AS
SELECT e.*, m.merge_rank, false AS from_run
FROM lake_existing AS e
JOIN merge_keys AS m USING (source_key)
UNION ALL BY NAME
SELECT p.*, m.merge_rank, true AS from_run
FROM run_pings AS p
JOIN merge_keys AS m USING (source_key)
ANTI JOIN lake_lineage AS l ON m.merge_rank = l.merge_rank AND p.entity_index = l.entity_index;

-- The dedupe rule ({{rule_window}}), with merge_rank standing in for source_key.
CREATE OR REPLACE TEMP TABLE lake_kept AS
SELECT merge_rank, entity_index, from_run, utc_date("timestamp") AS day_date
FROM lake_candidates
WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
QUALIFY row_number() OVER ({{rule_window}}) = 1;
