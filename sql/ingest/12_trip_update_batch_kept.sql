-- Grain: trip_update_batch_kept holds, of the batch's trip_update_rows, each prediction's winner
-- within the batch plus the rows the loader must count: those that are not keepable and each trip
-- update's first row (entity_updates).
-- A prediction is the tuple of every data column (all but feed_timestamp and lineage) within a
-- UTC day of feed_timestamp: a stop time re-published unchanged is one prediction, a changed one
-- (new time, delay, vehicle, …) is another. The winner over the run is the winner among the
-- batches' winners: the order is total. Reads: trip_update_rows. Makes: trip_update_batch_kept.
CREATE OR REPLACE TEMP TABLE trip_update_batch_kept AS
SELECT
  *,
  -- The rule: the earliest publication, the moment each prediction was first made (see
  -- src/feeds/feedRules.ts, which renders it for every statement that applies it).
  keepable AND row_number() OVER (
    PARTITION BY utc_date(feed_timestamp), {{grain}}
    ORDER BY {{order}}
  ) = 1 AS winner
FROM trip_update_rows
QUALIFY winner OR NOT keepable OR entity_updates IS NOT NULL;

-- Per file: stop_time_update rows read, rejected by reason, and (day mode) valid rows of another day.
SELECT
  k.source_key,
  coalesce(sum(b.entity_updates), 0)                                      AS trip_update_rows,
  count(*) FILTER (WHERE b.entity_updates IS NOT NULL)                     AS trip_updates,
  count(*) FILTER (WHERE b.rejection = 'missing_trip_id')                  AS missing_trip_id,
  count(*) FILTER (WHERE b.rejection = 'missing_stop')                     AS missing_stop,
  count(*) FILTER (WHERE b.rejection = 'missing_feed_timestamp')           AS missing_feed_timestamp,
  count(*) FILTER (WHERE b.rejection IS NULL AND NOT b.keepable)           AS outside_day
FROM trip_update_batch_kept AS b
JOIN load_keys AS k USING (file_rank)
GROUP BY k.source_key;
