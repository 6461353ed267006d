-- Grain: none. Reads: {{keys}} (the source keys of one attempt at the last batch). Makes: nothing:
-- removes that attempt's rows from last_batch_winners when a later step of the same attempt failed
-- and the batch is read again in parts (src/pipeline/ingest/loadBatch.ts, splitOnFailure). The
-- parts are disjoint, so no other attempt's rows have these keys.
DELETE FROM last_batch_winners WHERE source_key IN (SELECT source_key FROM (VALUES {{keys}}) AS k(source_key));
