-- Grain: one row: the first rowid the next batch appends to pings (rowids are not reused after the
-- loader deletes a rejected file's rows, so this is max(rowid) + 1, not count(*)).
-- Reads: pings. Makes: nothing.
SELECT coalesce(max(rowid) + 1, 0) AS rows FROM pings;
