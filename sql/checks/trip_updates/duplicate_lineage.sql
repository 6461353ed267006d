-- Grain: one row per lineage (source_key, entity_index, update_index) that trip_updates holds more
-- than once: each stop_time_update read has one identity, whatever partition it landed in.
-- Reads: {{files}}. Empty = pass.
SELECT source_key, entity_index, update_index, count(*) AS copies
FROM read_parquet({{files}}, hive_partitioning = true, union_by_name = true)
GROUP BY ALL
HAVING count(*) > 1;
