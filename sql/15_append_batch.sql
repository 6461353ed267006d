-- Grain: pings gets every row of the batch, as read (for `dedupe` and the workbench over raw
-- sources, which show every copy of a ping). Reads: batch_pings, load_keys.
-- Makes: rows appended to pings, lineage back in the user's terms (source_key, entity_index).
INSERT INTO pings BY NAME
SELECT b.* EXCLUDE (file_rank), k.source_key
FROM batch_pings AS b
JOIN load_keys AS k USING (file_rank);

-- The batch is done: free its rows before the next batch is read.
DROP TABLE batch_pings;
