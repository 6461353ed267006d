-- Grain: one row per batch winner of this run (see sql/ingest/05_batch_winners_file.sql).
-- Reads: the batches' Parquet files {{files}} and the last batch's winners, kept in DuckDB
-- (sql/ingest/05_last_batch_winners.sql). Makes: run_pings, shaped like pings.
CREATE OR REPLACE TEMP VIEW run_pings AS
SELECT * FROM read_parquet({{files}})
UNION ALL BY NAME
SELECT * FROM last_batch_winners;
