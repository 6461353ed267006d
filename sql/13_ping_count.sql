-- Grain: one row: how many rows pings holds (the first rowid the next batch appends).
-- Reads: pings. Makes: nothing.
SELECT count(*) AS rows FROM pings;
