-- Grain: one row. Reads: run_pings, merge_keys, lake_lineage. Makes: nothing: how many of this
-- run's kept rows were already in the lake (same source_key and entity_index), i.e. input ingested before.
SELECT count(*) AS rows
FROM run_pings AS p
JOIN merge_keys AS m USING (source_key)
SEMI JOIN lake_lineage AS l ON m.merge_rank = l.merge_rank AND p.entity_index = l.entity_index;
