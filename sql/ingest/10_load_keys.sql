-- Grain: one row per file of the batch: its local path, source key and file_rank, its rank by
-- source key within the batch (so windows sort integers, not ~90-byte keys).
-- Reads: {{keys}} (path, source key pairs). Makes: load_keys.
CREATE OR REPLACE TEMP TABLE load_keys AS
SELECT file_path, source_key, row_number() OVER (ORDER BY source_key, file_path)::INTEGER AS file_rank
FROM (VALUES {{keys}}) AS k(file_path, source_key);
