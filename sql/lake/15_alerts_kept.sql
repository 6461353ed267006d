-- Grain: alerts_kept has one row per version of an alert per UTC day, among the versions already in
-- the day partitions this run touches (alerts_existing) and the run's batch versions
-- (alerts_run): first_seen the oldest, last_seen the newest sighting of that content that day,
-- lineage the first sighting's. The same files ingested again give the same versions.
-- Reads: alerts_existing, alerts_run. Makes: alerts_kept (with day_date).
CREATE OR REPLACE TEMP TABLE alerts_kept AS
WITH candidates AS (
  SELECT * FROM alerts_existing
  UNION ALL BY NAME
  SELECT * FROM alerts_run
)
SELECT
  alert_id,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen,
  cause, effect, severity_level, header_text, description_text, url, active_periods, informed_entities,
  arg_min(source_key, {{first_sighting}}) AS source_key,
  arg_min(entity_index, {{first_sighting}}) AS entity_index,
  utc_date(first_seen) AS day_date
FROM candidates
GROUP BY utc_date(first_seen), {{grain}};
