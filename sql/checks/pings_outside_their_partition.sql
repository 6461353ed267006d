-- Grain: one row per ping stored in a day partition other than the UTC day of its own timestamp, or
-- without the vehicle id and timestamp a ping needs (such rows are rejected, never written).
-- Reads: {{files}}, year/month/day from the hive folder names. Empty = pass. The UTC day is computed
-- from the epoch here, independently of the code that partitioned the rows.
SELECT year, month, day, vehicle_id, "timestamp", source_key, entity_index
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
)
WHERE vehicle_id IS NULL
   OR "timestamp" IS NULL
   OR DATE '1970-01-01' + CAST(floor(epoch_us("timestamp") / 86400000000) AS INTEGER) <> make_date(year, month, day);
