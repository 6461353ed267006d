-- Grain: the view alert_rows has one row per alert entity of the batch's files (those with a
-- header): alert_id (the entity id), feed_timestamp, the alert's content columns, lineage
-- (file_rank, entity_index), the rejection reason (NULL for a row that can be kept) and keepable
-- (no rejection, and of {{day}} in day mode; NULL otherwise).
-- Reads: {{files}} in one read_json (feed_documents, sql/ingest/00_feed_macros.sql) with the schema
-- pinned in both spellings (MBTA's enhanced
-- snake_case, which the protobuf decoder also writes, and the proto3 JSON mapping's camelCase);
-- the translated texts are read as JSON because MBTA's 2017 enhanced feed nested them differently
-- (sql/ingest/00_feed_macros.sql, translated_text). load_keys.
-- Makes: alert_rows (a view).
CREATE OR REPLACE TEMP VIEW alert_rows AS
WITH documents AS (
  SELECT * FROM feed_documents({{files}}, {{max_object_size}}, {
      header: 'STRUCT("timestamp" VARCHAR)',
      entity: 'STRUCT(
        id VARCHAR,
        alert STRUCT(
          cause VARCHAR,
          effect VARCHAR,
          severity_level VARCHAR, severityLevel VARCHAR,
          header_text JSON, headerText JSON,
          description_text JSON, descriptionText JSON,
          url JSON,
          active_period STRUCT(start VARCHAR, "end" VARCHAR)[],
          activePeriod STRUCT(start VARCHAR, "end" VARCHAR)[],
          informed_entity STRUCT(
            agency_id VARCHAR, agencyId VARCHAR,
            route_id VARCHAR, routeId VARCHAR,
            route_type VARCHAR, routeType VARCHAR,
            direction_id VARCHAR, directionId VARCHAR,
            trip STRUCT(trip_id VARCHAR, tripId VARCHAR),
            stop_id VARCHAR, stopId VARCHAR
          )[],
          informedEntity STRUCT(
            agencyId VARCHAR, routeId VARCHAR, routeType VARCHAR, directionId VARCHAR,
            trip STRUCT(tripId VARCHAR), stopId VARCHAR
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
rows AS (
  SELECT
    e.id                                                              AS alert_id,
    feed_time(header_timestamp)                                       AS feed_timestamp,
    feed_enum(e.alert.cause, alert_causes())                          AS cause,
    feed_enum(e.alert.effect, alert_effects())                        AS effect,
    feed_enum(coalesce(e.alert.severity_level, e.alert.severityLevel), alert_severity_levels()) AS severity_level,
    translated_text(coalesce(e.alert.header_text, e.alert.headerText))           AS header_text,
    translated_text(coalesce(e.alert.description_text, e.alert.descriptionText)) AS description_text,
    translated_text(e.alert.url)                                      AS url,
    -- A repeated field left out is an empty list (protobuf cannot tell them apart), never NULL.
    CAST(list_transform(
      coalesce(e.alert.active_period, e.alert.activePeriod, []),
      lambda p: {'start': feed_time(p.start), 'end': feed_time(p."end")}
    ) AS STRUCT(start TIMESTAMPTZ, "end" TIMESTAMPTZ)[])             AS active_periods,
    CAST(coalesce(
      list_transform(e.alert.informed_entity, lambda i: {
        'agency_id': coalesce(i.agency_id, i.agencyId),
        'route_id': coalesce(i.route_id, i.routeId),
        'route_type': feed_int(coalesce(i.route_type, i.routeType)),
        'direction_id': feed_int(coalesce(i.direction_id, i.directionId)),
        'trip_id': coalesce(i.trip.trip_id, i.trip.tripId),
        'stop_id': coalesce(i.stop_id, i.stopId)
      }),
      list_transform(e.alert.informedEntity, lambda i: {
        'agency_id': i.agencyId,
        'route_id': i.routeId,
        'route_type': feed_int(i.routeType),
        'direction_id': feed_int(i.directionId),
        'trip_id': i.trip.tripId,
        'stop_id': i.stopId
      }),
      []
    ) AS STRUCT(agency_id VARCHAR, route_id VARCHAR, route_type INTEGER, direction_id INTEGER,
                trip_id VARCHAR, stop_id VARCHAR)[])                  AS informed_entities,
    k.file_rank                                                       AS file_rank,
    entity_index::INTEGER                                             AS entity_index
  FROM entities
  JOIN load_keys AS k USING (file_path)
  WHERE e.alert IS NOT NULL
),
-- An alert version belongs to an alert (its entity id) and to the UTC day it was seen on.
judged AS (
  SELECT
    *,
    CASE
      WHEN alert_id IS NULL THEN 'missing_alert_id'
      WHEN feed_timestamp IS NULL THEN 'missing_feed_timestamp'
    END AS rejection
  FROM rows
)
SELECT
  *,
  rejection IS NULL AND ({{day}} IS NULL OR utc_date(feed_timestamp) = {{day}}) AS keepable
FROM judged;
