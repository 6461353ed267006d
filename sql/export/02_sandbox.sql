-- Grain: none (session settings). Reads: nothing. Makes: the export's session closed to every file
-- outside {{allowed}} (the chosen partitions' folder, the export's work folder), with its settings
-- locked, because --where is user SQL: it can read the view of the exported lake table (made first
-- by sql/lake/vehicle_positions.sql over the chosen partitions only), and nothing else.
SET allowed_directories = {{allowed}};
SET enable_external_access = false;
SET lock_configuration = true;
