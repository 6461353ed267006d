-- Grain: one row. Reads: an existing partition's Parquet file {{file}} (its lineage columns, fully
-- decoded). Makes: nothing: a file that cannot be read fails here, named, before any merge.
SELECT count(*) AS rows, count(source_key) AS keys, max(entity_index) AS last_index
FROM read_parquet({{file}}, hive_partitioning = false);
