-- Grain: the workbench's views over raw files loaded into pings (one row per flattened ping).
-- Reads: pings. Makes: vehicle_positions (sql/20_dedupe.sql, made by the caller first, as a view
-- named vehicle_positions) and duplicate_groups: one row per (vehicle_id, timestamp) group with more
-- than one candidate, its size, the kept row's lineage under the current rule, and the columns in
-- which the candidates differ (the ones where the choice of row changes the data).
CREATE OR REPLACE VIEW duplicate_groups AS
WITH groups AS (
  SELECT
    p.vehicle_id,
    p."timestamp",
    count(*) AS candidates,
    count(DISTINCT p.feed_timestamp) AS feeds,
    list_filter([
      CASE WHEN count(DISTINCT p.current_status) + max(CASE WHEN p.current_status IS NULL THEN 1 ELSE 0 END) > 1 THEN 'current_status' END,
      CASE WHEN count(DISTINCT p.current_stop_sequence) + max(CASE WHEN p.current_stop_sequence IS NULL THEN 1 ELSE 0 END) > 1 THEN 'current_stop_sequence' END,
      CASE WHEN count(DISTINCT p.occupancy_status) + max(CASE WHEN p.occupancy_status IS NULL THEN 1 ELSE 0 END) > 1 THEN 'occupancy_status' END,
      CASE WHEN count(DISTINCT p.bearing) + max(CASE WHEN p.bearing IS NULL THEN 1 ELSE 0 END) > 1 THEN 'bearing' END,
      CASE WHEN count(DISTINCT p.latitude) + max(CASE WHEN p.latitude IS NULL THEN 1 ELSE 0 END) > 1 THEN 'latitude' END,
      CASE WHEN count(DISTINCT p.longitude) + max(CASE WHEN p.longitude IS NULL THEN 1 ELSE 0 END) > 1 THEN 'longitude' END,
      CASE WHEN count(DISTINCT p.stop_id) + max(CASE WHEN p.stop_id IS NULL THEN 1 ELSE 0 END) > 1 THEN 'stop_id' END,
      CASE WHEN count(DISTINCT p.direction_id) + max(CASE WHEN p.direction_id IS NULL THEN 1 ELSE 0 END) > 1 THEN 'direction_id' END,
      CASE WHEN count(DISTINCT p.route_id) + max(CASE WHEN p.route_id IS NULL THEN 1 ELSE 0 END) > 1 THEN 'route_id' END,
      CASE WHEN count(DISTINCT p.schedule_relationship) + max(CASE WHEN p.schedule_relationship IS NULL THEN 1 ELSE 0 END) > 1 THEN 'schedule_relationship' END,
      CASE WHEN count(DISTINCT p.start_date) + max(CASE WHEN p.start_date IS NULL THEN 1 ELSE 0 END) > 1 THEN 'start_date' END,
      CASE WHEN count(DISTINCT p.start_time) + max(CASE WHEN p.start_time IS NULL THEN 1 ELSE 0 END) > 1 THEN 'start_time' END,
      CASE WHEN count(DISTINCT p.trip_id) + max(CASE WHEN p.trip_id IS NULL THEN 1 ELSE 0 END) > 1 THEN 'trip_id' END,
      CASE WHEN count(DISTINCT p.label) + max(CASE WHEN p.label IS NULL THEN 1 ELSE 0 END) > 1 THEN 'label' END
    ], c -> c IS NOT NULL) AS differing_columns
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
