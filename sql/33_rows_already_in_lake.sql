-- Grain: one row. Reads: pings, lake_existing. Makes: nothing: how many of this run's pings were
-- already in the lake (same source_key and entity_index), i.e. input ingested before.
SELECT count(*) AS rows
FROM pings AS p
SEMI JOIN lake_existing AS e ON p.source_key = e.source_key AND p.entity_index = e.entity_index;
