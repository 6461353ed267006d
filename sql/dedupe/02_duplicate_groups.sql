-- Grain: the workbench's views over raw files loaded into pings (one row per flattened ping).
-- Reads: pings. Makes: vehicle_positions (sql/dedupe/01_vehicle_positions.sql, made by the caller first, as a view
-- named vehicle_positions) and duplicate_groups: one row per (vehicle_id, timestamp) group with more
-- than one candidate, its size, the kept row's lineage under the current rule, and the columns in
-- which the candidates differ (the ones where the choice of row changes the data; {{differing_columns}}
-- checks each data column of src/pipeline/dedupeRule.ts).
CREATE OR REPLACE VIEW duplicate_groups AS
WITH groups AS (
  SELECT
    p.vehicle_id,
    p."timestamp",
    count(*) AS candidates,
    count(DISTINCT p.feed_timestamp) AS feeds,
    {{differing_columns}} AS differing_columns
  FROM pings AS p
  WHERE p.vehicle_id IS NOT NULL AND p."timestamp" IS NOT NULL
  GROUP BY p.vehicle_id, p."timestamp"
  HAVING count(*) > 1
),
kept AS (
  -- Under --dedupe exact a group can keep several rows; under key exactly one.
  SELECT vehicle_id, "timestamp", count(*) AS kept_rows,
         list(struct_pack(feed_timestamp, source_key, entity_index) ORDER BY feed_timestamp, source_key, entity_index) AS kept
  FROM vehicle_positions
  GROUP BY vehicle_id, "timestamp"
)
SELECT
  g.vehicle_id,
  g."timestamp",
  g.candidates,
  g.feeds,
  len(g.differing_columns) > 0 AS conflicting,
  g.differing_columns,
  k.kept_rows,
  k.kept[1].feed_timestamp AS kept_feed_timestamp,
  k.kept[1].source_key     AS kept_source_key,
  k.kept[1].entity_index   AS kept_entity_index
FROM groups AS g
JOIN kept AS k USING (vehicle_id, "timestamp");
