-- Grain: one row per ping (the dedupe grain, {{grain_columns}}) that the lake holds more than once:
-- the dedupe must leave exactly one. Reads: the lake's partition files {{files}}. Empty = pass.
SELECT {{grain_columns}}, count(*) AS copies, list(source_key || '#' || entity_index) AS lineage
FROM read_parquet({{files}}, hive_partitioning = true, union_by_name = true)
GROUP BY ALL
HAVING count(*) > 1;
