-- Grain: one row per file of the batch that has vehicle rows: how many it has, how many of them
-- cannot be placed (no vehicle id; no usable timestamp), how many fall outside the day in day mode
-- ({{day}} is NULL otherwise), and whether its lineage repeats (a file holding several JSON
-- documents, which a snapshot never does: its rows would not be identified by (source_key,
-- entity_index)). Reads: batch_pings, load_keys. Makes: nothing (the loader's per-file accounting).
SELECT
  k.source_key,
  f.file_rank,
  f.vehicles,
  f.missing_vehicle_id,
  f.missing_timestamp,
  f.outside_day,
  f.several_documents
FROM (
  SELECT
    file_rank,
    count(*)                                                        AS vehicles,
    count(*) FILTER (WHERE vehicle_id IS NULL)                      AS missing_vehicle_id,
    count(*) FILTER (WHERE vehicle_id IS NOT NULL AND "timestamp" IS NULL) AS missing_timestamp,
    count(*) FILTER (WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
                       AND utc_date("timestamp") <> {{day}})        AS outside_day,
    count(*) <> count(DISTINCT entity_index)                        AS several_documents
  FROM batch_pings
  GROUP BY file_rank
) AS f
JOIN load_keys AS k USING (file_rank);
