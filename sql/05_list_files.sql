-- Grain: one row per key this run will load. Reads: {{keys}} (a chunk of the listing).
-- Makes: rows appended to listed_keys.
INSERT INTO listed_keys VALUES {{keys}};
