-- Grain: batch_kept holds every row of the batch (batch_rows), for dedupe reports and the
-- workbench, which show every copy of a ping. Reads: batch_rows. Makes: batch_kept (no winners:
-- the dedupe runs later, over pings).
CREATE OR REPLACE TEMP TABLE batch_kept AS
SELECT *, false AS winner FROM batch_rows;
