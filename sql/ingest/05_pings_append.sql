-- Grain: pings gets every vehicle row of the batch, as read (for `dedupe` and the workbench over
-- raw sources, which show every copy of a ping). Reads: batch_out (sql/ingest/04_batch_out.sql over
-- sql/ingest/03_batch_kept_every_row.sql's rows). Makes: rows appended to pings.
INSERT INTO pings
SELECT * EXCLUDE (is_vehicle, winner) FROM batch_out WHERE is_vehicle;

-- The batch is done: free its rows before the next batch is read.
DROP VIEW batch_out;
DROP TABLE batch_kept;
