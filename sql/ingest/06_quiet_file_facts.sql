-- Grain: one row per JSON object in files that added no vehicle row (rare: empty feeds, other
-- feeds, non-feeds). Reads: {{files}} again, entities kept as raw JSON so any entity shape reads.
-- Makes: nothing: the per-file facts the loader turns into "loaded, 0 rows" or a skip reason.
SELECT
  filename AS file_path,
  header IS NOT NULL                                                 AS has_header,
  entity IS NOT NULL                                                 AS has_entity_list,
  coalesce(len(entity), 0)                                           AS entities,
  coalesce(len(list_filter(entity, e -> e.vehicle IS NOT NULL)), 0)  AS vehicles,
  coalesce(len(list_filter(entity, e -> e.trip_update IS NOT NULL OR e.tripUpdate IS NOT NULL)), 0) AS trip_updates,
  coalesce(len(list_filter(entity, e -> e.alert IS NOT NULL)), 0)    AS alerts
FROM read_json(
  {{files}},
  format = 'auto',
  records = true,
  filename = true,
  maximum_object_size = {{max_object_size}},
  columns = {
    header: 'STRUCT("timestamp" VARCHAR)',
    entity: 'STRUCT(vehicle JSON, trip_update JSON, tripUpdate JSON, alert JSON)[]'
  }
);
