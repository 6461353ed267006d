-- Grain: one row per file of the batch that has entities: its documents (several mean the file is
-- not one snapshot), vehicle rows, rejected rows and valid rows outside the day. Every row these
-- count is in batch_kept whichever statement made it. Reads: batch_kept, load_keys. Makes: nothing.
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
