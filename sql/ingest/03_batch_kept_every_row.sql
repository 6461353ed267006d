-- Grain: batch_kept holds every row of the batch (batch_rows), for dedupe reports and the
-- workbench, which show every copy of a ping. Reads: batch_rows. Makes: batch_kept (no winners:
-- the dedupe runs later, over pings).
-- Dropped first, so a batch read again (without a file of several documents) never holds two.
DROP TABLE IF EXISTS batch_kept;
CREATE TEMP TABLE batch_kept AS
SELECT *, false AS winner FROM batch_rows;
