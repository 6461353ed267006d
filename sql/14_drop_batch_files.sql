-- Grain: removes from pings the rows a batch added for files the loader rejected after reading.
-- Reads: {{first_rowid}}, {{keys}} (their source keys). Makes: pings without those rows.
DELETE FROM pings WHERE rowid >= {{first_rowid}} AND list_contains({{keys}}, source_key);
