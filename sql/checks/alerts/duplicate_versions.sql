-- Grain: one row per alert version that an alerts day partition holds more than once: rows equal in
-- every column but first_seen, last_seen and lineage are one version (the alert's id and content),
-- one row per UTC day. The grain is spelled here as "every column but these" (EXCLUDE),
-- independently of the list the code renders. Reads: the table's partition files {{files}}.
-- Empty = pass.
SELECT * EXCLUDE (first_seen, last_seen, source_key, entity_index),
       count(*) AS copies,
       list(source_key || '#' || entity_index) AS lineage
FROM read_parquet(
  {{files}},
  hive_partitioning = true,
  hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER},
  union_by_name = true
)
GROUP BY ALL
HAVING count(*) > 1;
