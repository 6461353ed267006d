-- Grain: one row per batch winner of this run (see sql/ingest/05_batch_winners_file.sql).
-- Reads: the batches' Parquet files {{files}}. Makes: run_pings, shaped like pings.
CREATE OR REPLACE TEMP VIEW run_pings AS
SELECT * FROM read_parquet({{files}});
