-- Grain: the view trip_update_rows has one row per stop_time_update of each trip update of the
-- batch's files (those with a header): the trip_updates columns, lineage (file_rank, entity_index,
-- update_index: the 0-based position in stop_time_update), the rejection reason (NULL for a row
-- that can be kept), keepable (no rejection, and of {{day}} in day mode; {{day}} is NULL
-- otherwise) and, on each trip update's first row, entity_updates (its stop_time_update count:
-- the loader's row count without storing every row).
-- A trip update without stop_time_update gives no row.
-- Reads: {{files}} in one read_json (feed_documents, sql/ingest/00_feed_macros.sql) with the schema
-- pinned, in both spellings a feed is written in:
-- MBTA's enhanced snake_case (and the protobuf decoder's output, the same shape) and the proto3
-- JSON mapping's camelCase (tripUpdate, stopTimeUpdate, tripId, …), normalised to snake_case in
-- the first step. Numbers are read as text and cast (sql/ingest/00_feed_macros.sql). load_keys.
-- Makes: trip_update_rows (a view: nothing is read until a statement streams it).
CREATE OR REPLACE TEMP VIEW trip_update_rows AS
WITH documents AS (
  SELECT * FROM feed_documents({{files}}, {{max_object_size}}, {
      header: 'STRUCT("timestamp" VARCHAR)',
      entity: 'STRUCT(
        trip_update STRUCT(
          "timestamp" VARCHAR,
          trip STRUCT(
            trip_id VARCHAR, route_id VARCHAR, direction_id VARCHAR, start_date VARCHAR,
            start_time VARCHAR, schedule_relationship VARCHAR
          ),
          vehicle STRUCT(id VARCHAR, label VARCHAR),
          stop_time_update STRUCT(
            stop_sequence VARCHAR,
            stop_id VARCHAR,
            arrival STRUCT(delay VARCHAR, "time" VARCHAR, uncertainty VARCHAR),
            departure STRUCT(delay VARCHAR, "time" VARCHAR, uncertainty VARCHAR),
            schedule_relationship VARCHAR
          )[]
        ),
        tripUpdate STRUCT(
          "timestamp" VARCHAR,
          trip STRUCT(
            tripId VARCHAR, routeId VARCHAR, directionId VARCHAR, startDate VARCHAR,
            startTime VARCHAR, scheduleRelationship VARCHAR
          ),
          vehicle STRUCT(id VARCHAR, label VARCHAR),
          stopTimeUpdate STRUCT(
            stopSequence VARCHAR,
            stopId VARCHAR,
            arrival STRUCT(delay VARCHAR, "time" VARCHAR, uncertainty VARCHAR),
            departure STRUCT(delay VARCHAR, "time" VARCHAR, uncertainty VARCHAR),
            scheduleRelationship VARCHAR
          )[]
        )
      )[]'
  })
),
entities AS (
  SELECT
    file_path,
    header_timestamp,
    unnest(entity) AS e,
    generate_subscripts(entity, 1) - 1 AS entity_index
  FROM documents
),
-- One spelling per entity: the camelCase trip update, renamed field by field.
trip_updates AS (
  SELECT
    file_path,
    header_timestamp,
    entity_index,
    coalesce(e.trip_update, CASE WHEN e.tripUpdate IS NOT NULL THEN {
      'timestamp': e.tripUpdate."timestamp",
      'trip': {
        'trip_id': e.tripUpdate.trip.tripId,
        'route_id': e.tripUpdate.trip.routeId,
        'direction_id': e.tripUpdate.trip.directionId,
        'start_date': e.tripUpdate.trip.startDate,
        'start_time': e.tripUpdate.trip.startTime,
        'schedule_relationship': e.tripUpdate.trip.scheduleRelationship
      },
      'vehicle': e.tripUpdate.vehicle,
      'stop_time_update': list_transform(e.tripUpdate.stopTimeUpdate, lambda s: {
        'stop_sequence': s.stopSequence,
        'stop_id': s.stopId,
        'arrival': s.arrival,
        'departure': s.departure,
        'schedule_relationship': s.scheduleRelationship
      })
    } END) AS tu
  FROM entities
  WHERE e.trip_update IS NOT NULL OR e.tripUpdate IS NOT NULL
),
updates AS (
  SELECT
    file_path, header_timestamp, entity_index, tu,
    unnest(tu.stop_time_update) AS s,
    generate_subscripts(tu.stop_time_update, 1) - 1 AS update_index
  FROM trip_updates
),
rows AS (
  SELECT
    feed_time(header_timestamp)                                        AS feed_timestamp,
    feed_time(tu."timestamp")                                          AS trip_update_timestamp,
    tu.trip.trip_id                                                    AS trip_id,
    tu.trip.route_id                                                   AS route_id,
    feed_int(tu.trip.direction_id)                                     AS direction_id,
    tu.trip.start_date                                                 AS start_date,
    tu.trip.start_time                                                 AS start_time,
    feed_enum(tu.trip.schedule_relationship, trip_schedule_relationships()) AS trip_schedule_relationship,
    tu.vehicle.id                                                      AS vehicle_id,
    tu.vehicle.label                                                   AS vehicle_label,
    feed_int(s.stop_sequence)                                          AS stop_sequence,
    s.stop_id                                                          AS stop_id,
    feed_time(s.arrival."time")                                        AS arrival_time,
    feed_time(s.departure."time")                                      AS departure_time,
    feed_int(s.arrival.delay)                                          AS arrival_delay,
    feed_int(s.departure.delay)                                        AS departure_delay,
    feed_int(s.arrival.uncertainty)                                    AS arrival_uncertainty,
    feed_int(s.departure.uncertainty)                                  AS departure_uncertainty,
    feed_enum(s.schedule_relationship, stop_schedule_relationships())  AS stop_schedule_relationship,
    k.file_rank                                                        AS file_rank,
    entity_index::INTEGER                                              AS entity_index,
    update_index::INTEGER                                              AS update_index,
    CASE WHEN update_index = 0 THEN len(tu.stop_time_update) END       AS entity_updates
  FROM updates
  JOIN load_keys AS k USING (file_path)
),
-- A prediction must say which trip and which stop it is about, and when it was published (the
-- day partition is the UTC day of feed_timestamp).
judged AS (
  SELECT
    *,
    CASE
      WHEN trip_id IS NULL THEN 'missing_trip_id'
      WHEN stop_sequence IS NULL AND stop_id IS NULL THEN 'missing_stop'
      WHEN feed_timestamp IS NULL THEN 'missing_feed_timestamp'
    END AS rejection
  FROM rows
)
SELECT
  *,
  rejection IS NULL AND ({{day}} IS NULL OR utc_date(feed_timestamp) = {{day}}) AS keepable
FROM judged;
