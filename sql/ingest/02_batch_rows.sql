-- Grain: the view batch_rows has one row per entity of the batch's files (those with a header):
-- the 17 seed columns, lineage (file_rank, entity_index), is_vehicle, keepable (a vehicle row with
-- an id and a usable timestamp, of the day in day mode; {{day}} is NULL otherwise), and on each
-- document's first entity doc_entities, the document's entity count. A view: nothing is read until
-- sql/ingest/03_batch_kept.sql or sql/ingest/03_batch_kept_every_row.sql streams it once.
-- Reads: the batch's local files through feed_documents (sql/ingest/00_feed_macros.sql: gzip
-- chosen by the .gz name, which the loader guarantees matches the bytes), with the feed schema
-- pinned: numbers are read as text and cast here, because real feeds carry integers where floats
-- are expected, numbers as strings, explicit nulls and absent fields. Unknown fields are ignored.
-- Only leaf fields are projected.
-- Both spellings a feed is written in are read: MBTA's enhanced snake_case and the proto3 JSON
-- mapping's camelCase (currentStatus, tripId).
-- batch_keys (sql/ingest/02_batch_keys.sql) says how each file is read. JSON whose head shows
-- snake_case names only (src/pipeline/ingest/jsonSpelling.ts), nearly all, is read_as 'snake', read
-- in one read_json with the snake_case fields alone: DuckDB builds every pinned struct field of
-- every entity, and the camelCase ones cost ~20% of the batch. Other JSON, 'either', is read in a
-- second read_json with both spellings.
-- Protobuf feeds are not read as JSON: the decoder (src/feeds/feedRows.ts) wrote each one's
-- vehicles as flat CSV, one line per vehicle entity with the same leaves as text and the vehicle
-- count on its first line, 'csv', read in one read_csv with the columns pinned and cast by the same
-- expressions as the JSON's. One CSV holds a run of feeds, told apart by its part column (a JSON
-- file is part 0 of itself); the lines of a feed of another batch find no key in load_keys and are
-- left out by the join.
-- The three file lists are variables made from batch_keys, not text: 1,500 paths in the view's SQL
-- cost ~30 ms to parse and bind. Each ends with {{empty_file}}, an empty file of the run
-- (src/pipeline/ingest/loadArchive.ts), so a batch with none of one kind reads nothing there.
-- A file that has no vehicle here (no header, no entity, empty) is examined by sql/ingest/06_quiet_file_facts.sql.
-- Makes: load_keys (batch_keys with file_rank: each feed's rank by source key within the batch, so
-- the window sorts integers, not ~90-byte keys), the variables batch_snake_files,
-- batch_either_files and batch_csv_files, and batch_rows.
CREATE OR REPLACE TEMP TABLE load_keys AS
SELECT
  file_path,
  part,
  source_key,
  row_number() OVER (ORDER BY source_key, file_path, part)::INTEGER AS file_rank
FROM batch_keys;

SET VARIABLE batch_snake_files = list_append(
  coalesce((SELECT list(file_path) FROM batch_keys WHERE read_as = 'snake'), []), {{empty_file}});
SET VARIABLE batch_either_files = list_append(
  coalesce((SELECT list(file_path) FROM batch_keys WHERE read_as = 'either'), []), {{empty_file}});
SET VARIABLE batch_csv_files = list_append(
  coalesce((SELECT list(DISTINCT file_path) FROM batch_keys WHERE read_as = 'csv'), []), {{empty_file}});

CREATE OR REPLACE TEMP VIEW batch_rows AS
WITH snake_documents AS (
  SELECT file_path, 0 AS part, header_timestamp, entity, len(entity) AS doc_entities
  FROM feed_documents(getvariable('batch_snake_files'), {{max_object_size}}, {
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
  })
),
documents AS (
  SELECT file_path, 0 AS part, header_timestamp, entity, len(entity) AS doc_entities
  FROM feed_documents(getvariable('batch_either_files'), {{max_object_size}}, {
    header: 'STRUCT("timestamp" VARCHAR)',
    entity: 'STRUCT(
      id VARCHAR,
      vehicle STRUCT(
        current_status VARCHAR, currentStatus VARCHAR,
        current_stop_sequence VARCHAR, currentStopSequence VARCHAR,
        occupancy_status VARCHAR, occupancyStatus VARCHAR,
        position STRUCT(bearing VARCHAR, latitude VARCHAR, longitude VARCHAR),
        stop_id VARCHAR, stopId VARCHAR,
        "timestamp" VARCHAR,
        trip STRUCT(
          direction_id VARCHAR, directionId VARCHAR,
          route_id VARCHAR, routeId VARCHAR,
          schedule_relationship VARCHAR, scheduleRelationship VARCHAR,
          start_date VARCHAR, startDate VARCHAR,
          start_time VARCHAR, startTime VARCHAR,
          trip_id VARCHAR, tripId VARCHAR
        ),
        vehicle STRUCT(id VARCHAR, label VARCHAR)
      )
    )[]'
  })
),
-- Each entity's leaves as text, the same columns from either read.
leaves AS (
  SELECT
    file_path, part, header_timestamp, entity_index,
    -- The first entity of each document carries the document's entity count.
    CASE WHEN entity_index = 0 THEN doc_entities END           AS doc_entities,
    e.vehicle.vehicle.id                                       AS vehicle_id,
    e.vehicle.current_status                                   AS current_status,
    e.vehicle.current_stop_sequence                            AS current_stop_sequence,
    e.vehicle.occupancy_status                                 AS occupancy_status,
    e.vehicle.position.bearing                                 AS bearing,
    e.vehicle.position.latitude                                AS latitude,
    e.vehicle.position.longitude                               AS longitude,
    e.vehicle.stop_id                                          AS stop_id,
    e.vehicle."timestamp"                                      AS "timestamp",
    e.vehicle.trip.direction_id                                AS direction_id,
    e.vehicle.trip.route_id                                    AS route_id,
    e.vehicle.trip.schedule_relationship                       AS schedule_relationship,
    e.vehicle.trip.start_date                                  AS start_date,
    e.vehicle.trip.start_time                                  AS start_time,
    e.vehicle.trip.trip_id                                     AS trip_id,
    e.vehicle.vehicle.label                                    AS label,
    e.vehicle IS NOT NULL                                      AS is_vehicle
  FROM (
    SELECT file_path, part, header_timestamp, doc_entities, unnest(entity) AS e,
           generate_subscripts(entity, 1) - 1 AS entity_index
    FROM snake_documents
  )
  UNION ALL BY NAME
  SELECT
    file_path, part, header_timestamp, entity_index,
    -- The first entity of each document carries the document's entity count.
    CASE WHEN entity_index = 0 THEN doc_entities END           AS doc_entities,
    e.vehicle.vehicle.id                                       AS vehicle_id,
    coalesce(e.vehicle.current_status, e.vehicle.currentStatus) AS current_status,
    coalesce(e.vehicle.current_stop_sequence, e.vehicle.currentStopSequence) AS current_stop_sequence,
    coalesce(e.vehicle.occupancy_status, e.vehicle.occupancyStatus) AS occupancy_status,
    e.vehicle.position.bearing                                 AS bearing,
    e.vehicle.position.latitude                                AS latitude,
    e.vehicle.position.longitude                               AS longitude,
    coalesce(e.vehicle.stop_id, e.vehicle.stopId)              AS stop_id,
    e.vehicle."timestamp"                                      AS "timestamp",
    coalesce(e.vehicle.trip.direction_id, e.vehicle.trip.directionId) AS direction_id,
    coalesce(e.vehicle.trip.route_id, e.vehicle.trip.routeId) AS route_id,
    coalesce(e.vehicle.trip.schedule_relationship, e.vehicle.trip.scheduleRelationship) AS schedule_relationship,
    coalesce(e.vehicle.trip.start_date, e.vehicle.trip.startDate) AS start_date,
    coalesce(e.vehicle.trip.start_time, e.vehicle.trip.startTime) AS start_time,
    coalesce(e.vehicle.trip.trip_id, e.vehicle.trip.tripId) AS trip_id,
    e.vehicle.vehicle.label                                    AS label,
    e.vehicle IS NOT NULL                                      AS is_vehicle
  FROM (
    SELECT file_path, part, header_timestamp, doc_entities, unnest(entity) AS e,
           generate_subscripts(entity, 1) - 1 AS entity_index
    FROM documents
  )
  UNION ALL BY NAME
  -- The decoded protobuf feeds' vehicles: vehicle entities only, the first carrying their count.
  SELECT
    filename AS file_path,
    * EXCLUDE (filename),
    true AS is_vehicle
  FROM read_csv(
    getvariable('batch_csv_files'),
    header = false,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    allow_quoted_nulls = false,
    filename = true,
    columns = {
      'part': 'INTEGER', 'entity_index': 'INTEGER', 'doc_entities': 'INTEGER', 'header_timestamp': 'VARCHAR',
      'vehicle_id': 'VARCHAR', 'label': 'VARCHAR', 'current_status': 'VARCHAR',
      'current_stop_sequence': 'VARCHAR', 'occupancy_status': 'VARCHAR', 'bearing': 'VARCHAR',
      'latitude': 'VARCHAR', 'longitude': 'VARCHAR', 'stop_id': 'VARCHAR', 'timestamp': 'VARCHAR',
      'direction_id': 'VARCHAR', 'route_id': 'VARCHAR', 'schedule_relationship': 'VARCHAR',
      'start_date': 'VARCHAR', 'start_time': 'VARCHAR', 'trip_id': 'VARCHAR'
    }
  )
),
rows AS (
  SELECT
    TRY(to_timestamp(TRY_CAST(header_timestamp AS DOUBLE)))    AS feed_timestamp,
    vehicle_id,
    current_status,
    TRY_CAST(TRY_CAST(current_stop_sequence AS DOUBLE) AS INTEGER) AS current_stop_sequence,
    occupancy_status,
    to_finite_double(bearing)                                  AS bearing,
    to_finite_double(latitude)                                 AS latitude,
    to_finite_double(longitude)                                AS longitude,
    stop_id,
    TRY(to_timestamp(TRY_CAST("timestamp" AS DOUBLE)))         AS "timestamp",
    TRY_CAST(TRY_CAST(direction_id AS DOUBLE) AS INTEGER)      AS direction_id,
    route_id,
    schedule_relationship,
    start_date,
    start_time,
    trip_id,
    label,
    k.file_rank                                                AS file_rank,
    entity_index::INTEGER                                      AS entity_index,
    doc_entities,
    is_vehicle
  FROM leaves
  JOIN load_keys AS k USING (file_path, part)
),
marked AS (
  SELECT *, is_vehicle AND vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL AND ({{day}} IS NULL OR utc_date("timestamp") = {{day}}) AS keepable
  FROM rows
)
SELECT * FROM marked;
