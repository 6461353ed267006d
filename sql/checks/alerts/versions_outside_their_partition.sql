-- Grain: one row per alert version stored in a day partition other than the UTC day of its
-- first_seen and last_seen (both sightings of a version are of its own day), seen last before it
-- was seen first, or without an alert_id. Reads: {{files}}, year/month/day from the hive folder
-- names. Empty = pass. The UTC day is computed from the epoch here, independently of the code.
SELECT year, month, day, alert_id, first_seen, last_seen, source_key, entity_index
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
)
WHERE alert_id IS NULL
   OR first_seen IS NULL
   OR last_seen IS NULL
   OR first_seen > last_seen
   OR DATE '1970-01-01' + CAST(floor(epoch_us(first_seen) / 86400000000) AS INTEGER) <> make_date(year, month, day)
   OR DATE '1970-01-01' + CAST(floor(epoch_us(last_seen) / 86400000000) AS INTEGER) <> make_date(year, month, day);
