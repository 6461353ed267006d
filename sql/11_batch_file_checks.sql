-- Grain: one row per file of the batch just loaded. Reads: batch_files. Makes: nothing (a report).
SELECT
  file_path, entities, vehicles, trip_updates, alerts, skip_reason,
  CASE skip_reason
    WHEN 'not_a_feed' THEN 'JSON without a GTFS-realtime header'
    WHEN 'not_vehicle_positions' THEN format('{} trip_update and {} alert entities, no vehicle', trip_updates, alerts)
  END AS detail
FROM batch_files;
