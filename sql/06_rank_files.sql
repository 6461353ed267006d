-- Grain: one row per key this run will load (keys are unique: a key held by two sources is skipped
-- as duplicate_key). Reads: listed_keys. Makes: load_files, each key's file_rank: its rank in
-- DuckDB's own VARCHAR order, so ordering rows by file_rank orders them by source_key, and the
-- dedupe sorts 4-byte integers instead of ~90-byte keys that share a long prefix.
CREATE OR REPLACE TEMP TABLE load_files AS
SELECT source_key, row_number() OVER (ORDER BY source_key)::INTEGER AS file_rank
FROM listed_keys;
