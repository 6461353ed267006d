-- Grain: one row per feed the batch reads for vehicle_positions: the local file holding its rows,
-- its part of that file (0 for a JSON file; a decoded protobuf run's CSV holds several), its
-- source key, and how the file is read (read_as: 'snake', 'either' or 'csv', see
-- sql/ingest/02_batch_rows.sql). Reads: nothing. Makes: batch_keys, empty; the loader appends the batch's rows to it
-- (src/db/appendRows.ts) before sql/ingest/02_batch_rows.sql ranks them into load_keys.
CREATE OR REPLACE TEMP TABLE batch_keys (file_path VARCHAR, part INTEGER, source_key VARCHAR, read_as VARCHAR);
