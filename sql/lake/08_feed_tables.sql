-- Grain: none: the empty trip_updates and alerts tables, their columns and types as the lake keeps
-- them (the views *_existing and *_run point at Parquet files once there are some).
-- Reads: nothing. Makes: trip_updates_none, alerts_none, and the views trip_updates_existing,
-- trip_updates_run, alerts_existing, alerts_run over them.
CREATE TABLE IF NOT EXISTS trip_updates_none (
  feed_timestamp              TIMESTAMPTZ,
  trip_update_timestamp       TIMESTAMPTZ,
  trip_id                     VARCHAR,
  route_id                    VARCHAR,
  direction_id                INTEGER,
  start_date                  VARCHAR,
  start_time                  VARCHAR,
  trip_schedule_relationship  VARCHAR,
  vehicle_id                  VARCHAR,
  vehicle_label               VARCHAR,
  stop_sequence               INTEGER,
  stop_id                     VARCHAR,
  arrival_time                TIMESTAMPTZ,
  departure_time              TIMESTAMPTZ,
  arrival_delay               INTEGER,
  departure_delay             INTEGER,
  arrival_uncertainty         INTEGER,
  departure_uncertainty       INTEGER,
  stop_schedule_relationship  VARCHAR,
  source_key                  VARCHAR,
  entity_index                INTEGER,
  update_index                INTEGER
);

CREATE TABLE IF NOT EXISTS alerts_none (
  alert_id           VARCHAR,
  first_seen         TIMESTAMPTZ,
  last_seen          TIMESTAMPTZ,
  cause              VARCHAR,
  effect             VARCHAR,
  severity_level     VARCHAR,
  header_text        VARCHAR,
  description_text   VARCHAR,
  url                VARCHAR,
  active_periods     STRUCT(start TIMESTAMPTZ, "end" TIMESTAMPTZ)[],
  informed_entities  STRUCT(agency_id VARCHAR, route_id VARCHAR, route_type INTEGER, direction_id INTEGER,
                            trip_id VARCHAR, stop_id VARCHAR)[],
  source_key         VARCHAR,
  entity_index       INTEGER
);

CREATE OR REPLACE TEMP VIEW trip_updates_existing AS SELECT * FROM trip_updates_none;
CREATE OR REPLACE TEMP VIEW trip_updates_run AS SELECT * FROM trip_updates_none;
CREATE OR REPLACE TEMP VIEW alerts_existing AS SELECT * FROM alerts_none;
CREATE OR REPLACE TEMP VIEW alerts_run AS SELECT * FROM alerts_none;
