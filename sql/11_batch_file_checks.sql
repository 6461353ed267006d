-- Grain: one row per file of the batch that added rows to pings: how many vehicle rows it added,
-- and whether its lineage repeats (a file holding several JSON documents, which a snapshot never
-- does: its rows would not be identified by (source_key, entity_index)).
-- Reads: pings rows appended by this batch (rowid >= {{first_rowid}}). Makes: nothing (a report).
SELECT
  source_key,
  count(*) AS vehicles,
  count(*) <> count(DISTINCT entity_index) AS several_documents
FROM pings
WHERE rowid >= {{first_rowid}}
GROUP BY source_key;
