-- Grain: one row. Reads: run_pings, run_ranks, lake_lineage. Makes: nothing: how many of this
-- run's kept rows were already in the lake (same source_key and entity_index), i.e. input ingested before.
SELECT count(*) AS rows
FROM run_pings AS p
JOIN run_ranks AS r USING (file_rank)
SEMI JOIN lake_lineage AS l ON r.merge_rank = l.merge_rank AND p.entity_index = l.entity_index;
