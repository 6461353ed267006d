/**
 * What the load stage needs to know about one GTFS-realtime table: the sql/ files that make its
 * load tables, read a batch of files into batch_rows, keep the batch's rows and count them. A new
 * table (trip_updates, alerts) is a new descriptor with its own files; the stages stay as they are.
 */
export interface FeedTable {
  /** The table's folder in the lake. */
  name: string;
  sql: {
    /** The empty load tables (pings, lake_existing). */
    schema: string;
    /** load_keys and the view batch_rows over one batch's files. */
    readBatch: string;
    /** batch_kept: the batch's winners under the rule (ingest). */
    batchWinners: string;
    /** batch_kept: every row (dedupe reports, the workbench). */
    batchEveryRow: string;
    /** Per-file counts, and the view batch_out. */
    batchCounts: string;
    /** Appends batch_out to pings. */
    appendBatch: string;
    /** Writes batch_out's winners to a Parquet file. */
    keepBatchWinners: string;
    /** The facts about files that added no row. */
    checkFiles: string;
    /** run_pings over the batches' winner files, or empty. */
    runPings: string;
    noRunPings: string;
  };
}

export const vehiclePositions: FeedTable = {
  name: 'vehicle_positions',
  sql: {
    schema: '00_schema',
    readBatch: '10_load_batch',
    batchWinners: '11_batch_winners',
    batchEveryRow: '13_batch_every_row',
    batchCounts: '14_batch_counts',
    appendBatch: '15_append_batch',
    keepBatchWinners: '16_keep_batch_winners',
    checkFiles: '12_check_files',
    runPings: '17_run_pings',
    noRunPings: '18_no_run_pings',
  },
};
