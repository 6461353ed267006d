-- Grain: none: this run kept no row (every file skipped, or no vehicle in any).
-- Reads: pings (for its columns). Makes: run_pings, empty, shaped like sql/17_run_pings.sql's.
CREATE OR REPLACE TEMP VIEW run_pings AS
SELECT * EXCLUDE (source_key, entity_index), 0::INTEGER AS file_rank, entity_index FROM pings LIMIT 0;
