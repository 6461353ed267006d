-- Grain: removes from batch_pings the rows of files the loader rejected after reading them.
-- Reads: {{ranks}} (their file_rank). Makes: batch_pings without those rows.
DELETE FROM batch_pings WHERE list_contains({{ranks}}, file_rank);
