-- Grain: one row per ping the run's last batch can still contribute: its winners, as in
-- sql/ingest/05_batch_winners_file.sql. Reads: batch_out (sql/ingest/04_batch_out.sql). Makes: the
-- rows of last_batch_winners (sql/ingest/01_pings.sql), which run_pings reads beside the other
-- batches' Parquet files. Nothing is read after the last batch but its winners, so they stay in
-- DuckDB instead of going out to lz4 Parquet and back in for the merge (1,500 files, one batch:
-- ~0.1 s of copy and every later statement's Parquet decoding).
INSERT INTO last_batch_winners BY NAME
SELECT * EXCLUDE (is_vehicle, winner) FROM batch_out WHERE winner;

-- The batch is done: free what is not kept.
DROP VIEW batch_out;
DROP TABLE batch_kept;
