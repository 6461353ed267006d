-- Grain: batch_pings holds one row per entity[].vehicle of every file in the batch that has a header.
-- Reads: the batch's local files {{files}} in ONE streaming read_json (gzip chosen by the .gz name,
-- which the loader guarantees matches the bytes), with the feed schema pinned: numbers are read as
-- text and cast here, because real feeds carry integers where floats are expected, numbers as
-- strings, explicit nulls and absent fields. Unknown fields are ignored. Only leaf fields are
-- projected (materialising whole entity structs costs twice the time).
-- Makes: load_keys (each file's path, source key and file_rank, its rank by source key within the
-- batch: an integer that orders like the key, so the batch's dedupe sorts integers, not ~90-byte
-- keys sharing a long prefix) and batch_pings (lineage: file_rank, 0-based entity_index). Both are
-- replaced per batch.
-- A file that adds no row here (no vehicle entity, no header, empty) is examined by
-- sql/12_check_files.sql; a file with vehicles but without a header is removed by the loader.
CREATE OR REPLACE TEMP TABLE load_keys AS
SELECT file_path, source_key, row_number() OVER (ORDER BY source_key, file_path)::INTEGER AS file_rank
FROM (VALUES {{keys}}) AS k(file_path, source_key);

CREATE OR REPLACE TEMP TABLE batch_pings AS
WITH entities AS (
  SELECT
    filename AS file_path,
    header."timestamp" AS header_timestamp,
    unnest(entity) AS e,
    generate_subscripts(entity, 1) - 1 AS entity_index
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
        )
      )[]'
    }
  )
  WHERE header IS NOT NULL
)
SELECT
  -- TRY: an epoch outside TIMESTAMPTZ's range (e.g. 18446744073709551615, an unset uint64) is an
  -- unusable timestamp, so NULL (the row is rejected, or the feed sorts last), not a failed file.
  TRY(to_timestamp(TRY_CAST(header_timestamp AS DOUBLE)))    AS feed_timestamp,
  e.vehicle.vehicle.id                                       AS vehicle_id,
  e.vehicle.current_status                                   AS current_status,
  TRY_CAST(TRY_CAST(e.vehicle.current_stop_sequence AS DOUBLE) AS INTEGER) AS current_stop_sequence,
  e.vehicle.occupancy_status                                 AS occupancy_status,
  to_finite_double(e.vehicle.position.bearing)          AS bearing,
  to_finite_double(e.vehicle.position.latitude)          AS latitude,
  to_finite_double(e.vehicle.position.longitude)          AS longitude,
  e.vehicle.stop_id                                          AS stop_id,
  TRY(to_timestamp(TRY_CAST(e.vehicle."timestamp" AS DOUBLE))) AS "timestamp",
  TRY_CAST(TRY_CAST(e.vehicle.trip.direction_id AS DOUBLE) AS INTEGER) AS direction_id,
  e.vehicle.trip.route_id                                    AS route_id,
  e.vehicle.trip.schedule_relationship                       AS schedule_relationship,
  e.vehicle.trip.start_date                                  AS start_date,
  e.vehicle.trip.start_time                                  AS start_time,
  e.vehicle.trip.trip_id                                     AS trip_id,
  e.vehicle.vehicle.label                                    AS label,
  k.file_rank                                                AS file_rank,
  entity_index::INTEGER                                      AS entity_index
FROM entities
JOIN load_keys AS k USING (file_path)
WHERE e.vehicle IS NOT NULL;
