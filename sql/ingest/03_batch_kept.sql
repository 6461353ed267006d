-- Grain: batch_kept holds, of the batch's rows (batch_rows), those the dedupe rule can still keep:
-- each ping's winner within the batch (the winner over the whole run is the winner among the
-- batches' winners, because the rule is a total order), plus the few rows the loader must count:
-- entities that are not vehicles, rows that are not keepable, and each document's first entity.
-- One streaming statement: the JSON is read once and the batch's ~1 M rows are never stored, only
-- the ~1 in 4 that survive. Reads: batch_rows. Makes: batch_kept (winner marks the winners).
-- Dropped first, so a batch read again (without a file of several documents) never holds two.
DROP TABLE IF EXISTS batch_kept;
CREATE TEMP TABLE batch_kept AS
-- The dedupe rule ({{rule_window}}, from src/pipeline/dedupeRule.ts; file_rank orders like
-- source_key within the batch). A group holds only keepable rows or none: the others have no
-- vehicle id or timestamp, or another day's timestamp.
SELECT
  *,
  keepable AND row_number() OVER ({{rule_window}}) = 1 AS winner
FROM batch_rows
QUALIFY winner OR NOT keepable OR doc_entities IS NOT NULL;
