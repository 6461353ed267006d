-- Grain: trip_updates_kept has one row per prediction per UTC day of feed_timestamp, among the rows
-- already in the day partitions this run touches (trip_updates_existing) and the run's batch
-- winners (trip_updates_run): the earliest publication of each. A row already in the lake
-- (same source_key, entity_index, update_index) is not a new candidate, so a re-run changes nothing.
-- Reads: trip_updates_existing, trip_updates_run. Makes: trip_updates_kept (with day_date and from_run).
CREATE OR REPLACE TEMP TABLE trip_updates_kept AS
WITH candidates AS (
  SELECT *, false AS from_run FROM trip_updates_existing
  UNION ALL BY NAME
  SELECT r.*, true AS from_run
  FROM trip_updates_run AS r
  ANTI JOIN trip_updates_existing AS e USING (source_key, entity_index, update_index)
)
SELECT *, utc_date(feed_timestamp) AS day_date
FROM candidates
-- The rule (src/feeds/feedRules.ts): the earliest publication of each prediction of the day.
QUALIFY row_number() OVER (PARTITION BY utc_date(feed_timestamp), {{grain}} ORDER BY {{order}}) = 1;
