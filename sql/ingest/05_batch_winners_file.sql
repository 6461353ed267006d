-- Grain: one row per ping the batch's files can still contribute: batch_kept's winners (see
-- sql/ingest/03_batch_kept.sql). Reads: batch_out (sql/ingest/04_batch_out.sql). Makes: {{kept_file}}, a
-- Parquet file in the run's work folder shaped like pings (compressed: a full day's winners take
-- ~150 MB of disk instead of ~1.3 GB of DuckDB memory).
COPY (
  SELECT * EXCLUDE (is_vehicle, winner) FROM batch_out WHERE winner
) TO {{kept_file}} (FORMAT parquet, COMPRESSION lz4_raw);

-- The batch is done: free its rows before the next batch is read.
DROP VIEW batch_out;
DROP TABLE batch_kept;
