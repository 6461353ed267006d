-- Grain: one row per first sighting (source_key, entity_index) that alerts holds more than once: an
-- entity of one file has one content and one feed time, so it starts at most one version.
-- Reads: {{files}}. Empty = pass.
SELECT source_key, entity_index, count(*) AS copies
FROM read_parquet({{files}}, hive_partitioning = true, union_by_name = true)
GROUP BY ALL
HAVING count(*) > 1;
