-- Grain: one row per alert version per UTC day of the batch (sql/ingest/15_alert_batch_groups.sql),
-- shaped like the alerts table. Reads: alert_batch_versions. Makes: {{kept_file}}, a Parquet file
-- in the run's work folder, then frees the batch's groups.
COPY (SELECT * FROM alert_batch_versions) TO {{kept_file}} (FORMAT parquet, COMPRESSION lz4_raw);

DROP VIEW alert_batch_versions;
DROP TABLE alert_batch_groups;
