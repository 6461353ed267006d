-- Grain: one row: the dedupe report's counts for the pings in scope (all, or one vehicle).
-- Reads: pings, vehicle_positions, duplicate_groups (sql/dedupe/02_duplicate_groups.sql), {{vehicle}} (NULL =
-- all vehicles). Makes: nothing. groups = distinct (vehicle_id, timestamp); rows_kept is what the
-- current rule keeps (= groups under --dedupe key); rows_kept_exact is what --dedupe exact would keep.
WITH scope AS (
  SELECT * FROM pings WHERE {{vehicle}} IS NULL OR vehicle_id = {{vehicle}}
),
valid AS (
  SELECT * FROM scope WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
)
SELECT
  (SELECT count(*) FROM scope)                                                     AS rows_read,
  (SELECT count(*) FROM scope) - (SELECT count(*) FROM valid)                      AS rows_rejected,
  (SELECT count(*) FROM (SELECT DISTINCT vehicle_id, "timestamp" FROM valid))     AS groups,
  (SELECT count(*) FROM duplicate_groups WHERE {{vehicle}} IS NULL OR vehicle_id = {{vehicle}}) AS duplicate_groups,
  (SELECT count(*) FROM duplicate_groups WHERE conflicting AND ({{vehicle}} IS NULL OR vehicle_id = {{vehicle}})) AS conflicting_groups,
  (SELECT count(*) FROM vehicle_positions WHERE {{vehicle}} IS NULL OR vehicle_id = {{vehicle}}) AS rows_kept,
  (SELECT count(*) FROM (
     SELECT DISTINCT {{exact_grain_columns}}
     FROM valid))                                                                  AS rows_kept_exact;
