-- Grain: none: this run kept no row (every file skipped, or no vehicle in any).
-- Reads: pings (for its columns). Makes: run_pings, empty, shaped like pings.
CREATE OR REPLACE TEMP VIEW run_pings AS SELECT * FROM pings LIMIT 0;
