-- Grain: alert_batch_versions has one row per version of an alert per UTC day in the batch: the
-- alert_id and every content column equal; first_seen and last_seen are the oldest and newest
-- feed_timestamp of that day carrying exactly this content, and the lineage is the first
-- sighting's (oldest feed_timestamp, then smallest source_key, then entity_index). Both are
-- associative, so the run's versions are the versions of the batches' versions, and the lake's the
-- versions of the run's and the partition's. Beside them, one row per file, rejection and
-- keepable, to count what was read and rejected: one scan of the JSON makes both (grouping sets).
-- Reads: alert_rows, load_keys. Makes: alert_batch_groups.
CREATE OR REPLACE TEMP TABLE alert_batch_groups AS
SELECT
  grouping(file_rank) = 0                     AS is_count,
  file_rank,
  rejection,
  keepable,
  count(*)                                    AS rows,
  alert_id,
  min(feed_timestamp)                         AS first_seen,
  max(feed_timestamp)                         AS last_seen,
  cause, effect, severity_level, header_text, description_text, url, active_periods, informed_entities,
  arg_min(file_rank, {{first_sighting}})      AS first_file_rank,
  arg_min(entity_index, {{first_sighting}})   AS entity_index
FROM alert_rows
GROUP BY GROUPING SETS (
  (file_rank, rejection, keepable),
  (keepable, utc_date(feed_timestamp), {{grain}})
);

CREATE OR REPLACE TEMP VIEW alert_batch_versions AS
SELECT
  g.alert_id, g.first_seen, g.last_seen, g.cause, g.effect, g.severity_level, g.header_text,
  g.description_text, g.url, g.active_periods, g.informed_entities, k.source_key, g.entity_index
FROM alert_batch_groups AS g
JOIN load_keys AS k ON k.file_rank = g.first_file_rank
WHERE NOT g.is_count AND g.keepable;

-- Per file: alerts read, rejected by reason, and (day mode) valid ones of another day.
SELECT
  k.source_key,
  sum(g.rows)                                                        AS alerts,
  coalesce(sum(g.rows) FILTER (WHERE g.rejection = 'missing_alert_id'), 0)       AS missing_alert_id,
  coalesce(sum(g.rows) FILTER (WHERE g.rejection = 'missing_feed_timestamp'), 0) AS missing_feed_timestamp,
  coalesce(sum(g.rows) FILTER (WHERE g.rejection IS NULL AND NOT g.keepable), 0) AS outside_day
FROM alert_batch_groups AS g
JOIN load_keys AS k USING (file_rank)
WHERE g.is_count
GROUP BY k.source_key;
