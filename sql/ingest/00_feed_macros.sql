-- Grain: none (helpers for every table's read: the vehicle_positions, trip_updates and alerts reads). Reads: nothing. Makes macros.
-- Every feed value is read as text (JSON numbers, numeric strings, uint64 as strings in the proto3
-- JSON mapping) and cast here; text that is not a number is NULL, never an error.

-- feed_time(x): a POSIX time in seconds as TIMESTAMPTZ.
CREATE OR REPLACE MACRO feed_time(x) AS (TRY(to_timestamp(TRY_CAST(x AS DOUBLE))));

-- feed_int(x): an integer field (JSON 3, 3.0 or "3") as INTEGER.
CREATE OR REPLACE MACRO feed_int(x) AS (TRY_CAST(TRY_CAST(x AS DOUBLE) AS INTEGER));

-- feed_enum(x, names): an enum as its name. The enhanced JSON and the protobuf decoder give names;
-- the proto3 JSON mapping may give the number, which names[number] turns into the name of
-- proto/gtfs-realtime.proto (a number the proto does not know stays as written).
CREATE OR REPLACE MACRO feed_enum(x, names) AS (
  coalesce(CASE WHEN TRY_CAST(x AS INTEGER) IS NOT NULL THEN names[TRY_CAST(x AS INTEGER)] END, x)
);

-- The enums of proto/gtfs-realtime.proto the tables keep, number -> name (test/unit checks them
-- against the proto).
CREATE OR REPLACE MACRO trip_schedule_relationships() AS (MAP {
  0: 'SCHEDULED', 1: 'ADDED', 2: 'UNSCHEDULED', 3: 'CANCELED', 5: 'REPLACEMENT', 6: 'DUPLICATED',
  7: 'DELETED', 8: 'NEW'
});
CREATE OR REPLACE MACRO stop_schedule_relationships() AS (MAP {
  0: 'SCHEDULED', 1: 'SKIPPED', 2: 'NO_DATA', 3: 'UNSCHEDULED'
});
CREATE OR REPLACE MACRO alert_causes() AS (MAP {
  1: 'UNKNOWN_CAUSE', 2: 'OTHER_CAUSE', 3: 'TECHNICAL_PROBLEM', 4: 'STRIKE', 5: 'DEMONSTRATION',
  6: 'ACCIDENT', 7: 'HOLIDAY', 8: 'WEATHER', 9: 'MAINTENANCE', 10: 'CONSTRUCTION',
  11: 'POLICE_ACTIVITY', 12: 'MEDICAL_EMERGENCY', 13: 'SPECIAL_EVENT'
});
CREATE OR REPLACE MACRO alert_effects() AS (MAP {
  1: 'NO_SERVICE', 2: 'REDUCED_SERVICE', 3: 'SIGNIFICANT_DELAYS', 4: 'DETOUR', 5: 'ADDITIONAL_SERVICE',
  6: 'MODIFIED_SERVICE', 7: 'OTHER_EFFECT', 8: 'UNKNOWN_EFFECT', 9: 'STOP_MOVED', 10: 'NO_EFFECT',
  11: 'ACCESSIBILITY_ISSUE'
});
CREATE OR REPLACE MACRO alert_severity_levels() AS (MAP {
  1: 'UNKNOWN_SEVERITY', 2: 'INFO', 3: 'WARNING', 4: 'SEVERE'
});

-- translated_text(j): a TranslatedString (read as JSON) as one text: the English translation
-- (language 'en' or 'en-…'), else the first. It takes the GTFS-realtime shape
-- {"translation": [{"text", "language"}]} and the older one of MBTA's 2017 enhanced feed,
-- [{"translation": {"text", "language"}}].
CREATE OR REPLACE MACRO translations(j) AS (
  CAST(CASE json_type(j)
    WHEN 'OBJECT' THEN TRY(from_json(json_extract(j, '$.translation'), '[{"text": "VARCHAR", "language": "VARCHAR"}]'))
    WHEN 'ARRAY' THEN TRY(list_transform(
      from_json(j, '["JSON"]'),
      lambda x: from_json(json_extract(x, '$.translation'), '{"text": "VARCHAR", "language": "VARCHAR"}')
    ))
  END AS STRUCT(text VARCHAR, language VARCHAR)[])
);
CREATE OR REPLACE MACRO translated_text(j) AS (
  coalesce(
    list_filter(translations(j), lambda x: lower(x.language) = 'en' OR starts_with(lower(x.language), 'en-'))[1].text,
    translations(j)[1].text
  )
);

-- feed_documents(paths, object_size, schema): the feed documents of local files, read the way
-- every table's read reads them (sql/ingest/02_batch_rows.sql, sql/ingest/11_trip_update_rows.sql,
-- sql/ingest/14_alert_rows.sql): one read_json, gzip chosen by the .gz name, the schema pinned to
-- `schema` (each read's own), unknown fields ignored; documents without a header dropped. (The
-- parameters are not named like read_json's own: DuckDB then takes them for named arguments.)
CREATE OR REPLACE MACRO feed_documents(paths, object_size, schema) AS TABLE
  SELECT filename AS file_path, header."timestamp" AS header_timestamp, entity
  FROM read_json(
    paths,
    format = 'auto',
    records = true,
    filename = true,
    maximum_object_size = object_size,
    columns = schema
  )
  WHERE header IS NOT NULL;
