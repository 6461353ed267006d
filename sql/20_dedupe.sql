-- Grain: one row per ping. With grain 'key' a ping is (vehicle_id, timestamp), the seed job's
-- grain; with grain 'exact' it is every data column except feed_timestamp (MBTA's own pipeline),
-- so a re-publication whose occupancy or trip changed while the timestamp did not is kept.
-- Reads: {{input}} (pings-shaped rows). Makes: {{output}}, the deduplicated rows.
-- Rows without a vehicle_id or a timestamp cannot be placed in a group or a day partition; they are
-- counted by the caller as rejected and never reach the lake.
CREATE OR REPLACE {{relation}} {{output}} AS
SELECT *
FROM {{input}}
WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
-- The rule: keep the row from the newest feed (keep=latest, direction DESC), then the greatest
-- source_key, then the greatest entity_index; keep=earliest is the mirror (ASC). source_key and
-- entity_index are unique per row, so the order is total: the kept row never depends on file order,
-- thread count or the engine's scheduling (unlike Spark's dropDuplicates, which keeps whichever
-- row it meets first). A feed without header.timestamp sorts last under either direction.
QUALIFY row_number() OVER (
  PARTITION BY
    vehicle_id,
    "timestamp",
    CASE WHEN {{exact}} THEN struct_pack(
      current_status, current_stop_sequence, occupancy_status, bearing, latitude, longitude,
      stop_id, direction_id, route_id, schedule_relationship, start_date, start_time, trip_id, label
    ) END
  ORDER BY
    feed_timestamp {{direction}} NULLS LAST,
    source_key {{direction}} NULLS LAST,
    entity_index {{direction}} NULLS LAST
) = 1;
