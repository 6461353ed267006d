-- Grain: one row per file of the batch that has entities: its documents (several mean the file is
-- not one snapshot), vehicle rows, rejected rows and valid rows outside the day. Every row these
-- count is in batch_kept whichever statement made it. Reads: batch_kept, load_keys.
-- Makes: the view batch_out (batch_kept's rows shaped like pings, with is_vehicle and winner) for
-- sql/ingest/05_pings_append.sql and sql/ingest/05_batch_winners_file.sql, and returns the counts.
CREATE OR REPLACE TEMP VIEW batch_out AS
SELECT
  b.feed_timestamp, b.vehicle_id, b.current_status, b.current_stop_sequence, b.occupancy_status,
  b.bearing, b.latitude, b.longitude, b.stop_id, b."timestamp", b.direction_id, b.route_id,
  b.schedule_relationship, b.start_date, b.start_time, b.trip_id, b.label,
  k.source_key, b.entity_index, b.is_vehicle, b.winner
FROM batch_kept AS b
JOIN load_keys AS k USING (file_rank);

SELECT
  k.source_key,
  f.*
FROM (
  SELECT
    file_rank,
    count(doc_entities)                                                   AS documents,
    sum(doc_entities) - count(*) FILTER (WHERE NOT is_vehicle)            AS vehicles,
    count(*) FILTER (WHERE is_vehicle AND vehicle_id IS NULL)             AS missing_vehicle_id,
    count(*) FILTER (WHERE is_vehicle AND vehicle_id IS NOT NULL AND "timestamp" IS NULL) AS missing_timestamp,
    count(*) FILTER (WHERE is_vehicle AND vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
                       AND NOT keepable)                                  AS outside_day
  FROM batch_kept
  GROUP BY file_rank
) AS f
JOIN load_keys AS k USING (file_rank);
