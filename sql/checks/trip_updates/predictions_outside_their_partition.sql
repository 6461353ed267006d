-- Grain: one row per prediction stored in a day partition other than the UTC day of its
-- feed_timestamp (the day it was published), or without what a prediction needs (a trip_id, a
-- stop_sequence or stop_id, a feed_timestamp: such rows are rejected, never written).
-- Reads: {{files}}, year/month/day from the hive folder names. Empty = pass. The UTC day is computed
-- from the epoch here, independently of the code that partitioned the rows.
SELECT year, month, day, trip_id, stop_sequence, stop_id, feed_timestamp, source_key, entity_index, update_index
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
)
WHERE trip_id IS NULL
   OR (stop_sequence IS NULL AND stop_id IS NULL)
   OR feed_timestamp IS NULL
   OR DATE '1970-01-01' + CAST(floor(epoch_us(feed_timestamp) / 86400000000) AS INTEGER) <> make_date(year, month, day);
