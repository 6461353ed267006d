-- Grain: one row per prediction that a trip_updates day partition holds more than once: rows equal
-- in every column but feed_timestamp and lineage are one prediction, and the rule keeps one per UTC
-- day. The grain is spelled here as "every column but these" (EXCLUDE), independently of the list
-- the code renders. Reads: the table's partition files {{files}}. Empty = pass.
SELECT * EXCLUDE (feed_timestamp, source_key, entity_index, update_index),
       count(*) AS copies,
       list(source_key || '#' || entity_index || '.' || update_index) AS lineage
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
)
GROUP BY ALL
HAVING count(*) > 1;
