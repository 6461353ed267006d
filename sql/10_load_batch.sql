-- Grain: batch_rows has one row per entity of each feed file in the batch, plus one row with a NULL
-- entity for a file that has none, so every file reaches the per-file checks in load_files.
-- Reads: the batch's local files {{files}} in one streaming read_json (gzip is chosen by the .gz
-- name, which the loader guarantees matches the bytes). The feed schema is pinned: numbers are read
-- as text and cast below, because real feeds carry integers where floats are expected, numbers as
-- strings, explicit nulls and absent fields. Unknown fields are ignored.
-- Makes: load_files rows (one per file, with skip_reason) and pings rows (one per entity[].vehicle
-- of every file that passed), with lineage source_key (from load_keys) and 0-based entity_index.
CREATE OR REPLACE TEMP TABLE load_keys (file_path VARCHAR, source_key VARCHAR);
INSERT INTO load_keys VALUES {{keys}};

CREATE OR REPLACE TEMP TABLE batch_rows AS
WITH files AS (
  SELECT filename AS file_path, header, entity
  FROM read_json(
    {{files}},
    format = 'auto',
    records = true,
    filename = true,
    maximum_object_size = {{max_object_size}},
    columns = {
      header: 'STRUCT("timestamp" VARCHAR)',
      entity: 'STRUCT(
        id VARCHAR,
        vehicle STRUCT(
          current_status VARCHAR,
          current_stop_sequence VARCHAR,
          occupancy_status VARCHAR,
          position STRUCT(bearing VARCHAR, latitude VARCHAR, longitude VARCHAR),
          stop_id VARCHAR,
          "timestamp" VARCHAR,
          trip STRUCT(
            direction_id VARCHAR,
            route_id VARCHAR,
            schedule_relationship VARCHAR,
            start_date VARCHAR,
            start_time VARCHAR,
            trip_id VARCHAR
          ),
          vehicle STRUCT(id VARCHAR, label VARCHAR)
        ),
        trip_update JSON,
        alert JSON
      )[]'
    }
  )
),
entities AS (
  -- A file with no entities keeps one row (e IS NULL) so that it is still counted.
  SELECT
    file_path,
    header IS NOT NULL AS has_header,
    header."timestamp" AS header_timestamp,
    unnest(CASE WHEN len(entity) > 0 THEN entity ELSE [NULL] END) AS e,
    generate_subscripts(CASE WHEN len(entity) > 0 THEN entity ELSE [NULL] END, 1) - 1 AS entity_index
  FROM files
)
SELECT
  file_path,
  has_header,
  e IS NOT NULL                                              AS is_entity,
  e.vehicle IS NOT NULL                                      AS is_vehicle,
  e.trip_update IS NOT NULL                                  AS is_trip_update,
  e.alert IS NOT NULL                                        AS is_alert,
  to_timestamp(TRY_CAST(header_timestamp AS DOUBLE))         AS feed_timestamp,
  e.vehicle.vehicle.id                                       AS vehicle_id,
  e.vehicle.current_status                                   AS current_status,
  TRY_CAST(TRY_CAST(e.vehicle.current_stop_sequence AS DOUBLE) AS INTEGER) AS current_stop_sequence,
  e.vehicle.occupancy_status                                 AS occupancy_status,
  TRY_CAST(e.vehicle.position.bearing AS DOUBLE)             AS bearing,
  TRY_CAST(e.vehicle.position.latitude AS DOUBLE)            AS latitude,
  TRY_CAST(e.vehicle.position.longitude AS DOUBLE)           AS longitude,
  e.vehicle.stop_id                                          AS stop_id,
  to_timestamp(TRY_CAST(e.vehicle."timestamp" AS DOUBLE))    AS "timestamp",
  TRY_CAST(TRY_CAST(e.vehicle.trip.direction_id AS DOUBLE) AS INTEGER) AS direction_id,
  e.vehicle.trip.route_id                                    AS route_id,
  e.vehicle.trip.schedule_relationship                       AS schedule_relationship,
  e.vehicle.trip.start_date                                  AS start_date,
  e.vehicle.trip.start_time                                  AS start_time,
  e.vehicle.trip.trip_id                                     AS trip_id,
  e.vehicle.vehicle.label                                    AS label,
  entity_index::INTEGER                                      AS entity_index
FROM entities;

-- Per-file checks: a file is loaded only when it is a VehiclePositions feed. skip_reason codes are
-- the ones the run summary reports (see src/pipeline/skipReasons.ts).
CREATE OR REPLACE TEMP TABLE batch_files AS
SELECT
  file_path,
  count(*) FILTER (WHERE is_entity)::INTEGER      AS entities,
  count(*) FILTER (WHERE is_vehicle)::INTEGER     AS vehicles,
  count(*) FILTER (WHERE is_trip_update)::INTEGER AS trip_updates,
  count(*) FILTER (WHERE is_alert)::INTEGER       AS alerts,
  -- A feed without an entity field (proto3 JSON omits an empty repeated field) or with
  -- "entity": null is a feed with no entities: loaded, 0 rows, like "entity": [].
  CASE
    WHEN NOT bool_or(has_header) THEN 'not_a_feed'
    WHEN count(*) FILTER (WHERE is_vehicle) = 0
         AND count(*) FILTER (WHERE is_trip_update OR is_alert) > 0 THEN 'not_vehicle_positions'
  END AS skip_reason
FROM batch_rows
GROUP BY file_path;

INSERT INTO load_files SELECT * FROM batch_files;

INSERT INTO pings
SELECT
  r.feed_timestamp, r.vehicle_id, r.current_status, r.current_stop_sequence, r.occupancy_status,
  r.bearing, r.latitude, r.longitude, r.stop_id, r."timestamp", r.direction_id, r.route_id,
  r.schedule_relationship, r.start_date, r.start_time, r.trip_id, r.label,
  k.source_key, r.entity_index
FROM batch_rows AS r
JOIN batch_files AS f USING (file_path)
JOIN load_keys AS k USING (file_path)
WHERE r.is_vehicle AND f.skip_reason IS NULL;
