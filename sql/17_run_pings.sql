-- Grain: one row per batch winner of this run (see sql/16_keep_batch_winners.sql).
-- Reads: the batches' Parquet files {{files}}. Makes: run_pings, shaped like pings.
CREATE OR REPLACE TEMP VIEW run_pings AS
SELECT * FROM read_parquet({{files}});
