-- Grain: of the batch's rows, only those the dedupe rule can still keep: the batch's own winner of
-- each ping (the rule of sql/20_dedupe.sql; file_rank orders like source_key). The rule is a total
-- order, so the winner over the whole run is the winner among the batches' winners: the run-wide
-- dedupe (sql/30_merge_lake.sql) over these rows gives exactly what it gives over every raw row, at
-- a fraction of the rows (a ping is re-published in ~4 consecutive snapshots, which mostly share a
-- batch). Rows that cannot be placed (no vehicle id, no timestamp) and, in day mode, rows of other
-- days ({{day}} is NULL otherwise) were counted by sql/11_batch_file_checks.sql and are not kept.
-- Reads: batch_pings, load_keys. Makes: {{kept_file}}, a Parquet file in the run's work folder
-- shaped like pings (compressed: a full day's winners take ~150 MB of disk, not ~1.3 GB of memory).
COPY (
  SELECT b.* EXCLUDE (file_rank), k.source_key
  FROM batch_pings AS b
  JOIN load_keys AS k USING (file_rank)
  SEMI JOIN (
    SELECT file_rank, entity_index
    FROM batch_pings
    WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
      AND ({{day}} IS NULL OR utc_date("timestamp") = {{day}})
    QUALIFY row_number() OVER (
      PARTITION BY vehicle_id, "timestamp"{{exact_columns}}
      ORDER BY
        feed_timestamp {{direction}} NULLS LAST,
        file_rank {{direction}} NULLS LAST,
        entity_index {{direction}} NULLS LAST
    ) = 1
  ) AS kept USING (file_rank, entity_index)
) TO {{kept_file}} (FORMAT parquet, COMPRESSION lz4_raw);

-- The batch is done: free its rows before the next batch is read.
DROP TABLE batch_pings;
