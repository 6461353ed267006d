import type { SqlFileWithSlots } from '../../db/sqlFiles.js';

/**
 * What the load stage needs to know about one GTFS-realtime table: the sql/ files that make its
 * load tables, read a batch of files into batch_rows, keep the batch's rows and count them. A new
 * table (trip_updates, alerts) is a new descriptor with its own files taking the same slots; the
 * stages stay as they are. A decoding step belongs before the read, in the fetch stage: protobuf
 * feeds reach readBatch as their decoded vehicle rows (src/feeds/feedRows.ts), the rest as JSON.
 */
export interface FeedTable {
  /** The table's folder in the lake. */
  name: string;
  sql: {
    /** The empty load tables (pings, run_pings, lake_existing). */
    schema: SqlFileWithSlots<never>;
    /** load_keys and the view batch_rows over one batch's JSON files and decoded vehicle rows. */
    readBatch: SqlFileWithSlots<
      'day' | 'decoded_files' | 'files' | 'keys' | 'max_object_size' | 'snake_files'
    >;
    /** batch_kept: the batch's winners under the rule (ingest). */
    batchWinners: SqlFileWithSlots<'rule_window'>;
    /** batch_kept: every row (dedupe reports, the workbench). */
    batchEveryRow: SqlFileWithSlots<never>;
    /** The view batch_out, and the per-file counts. */
    batchCounts: SqlFileWithSlots<never>;
    /** Appends batch_out to pings. */
    appendBatch: SqlFileWithSlots<never>;
    /** Writes batch_out's winners to a Parquet file. */
    keepBatchWinners: SqlFileWithSlots<'kept_file'>;
    /** The facts about files that added no row. */
    checkFiles: SqlFileWithSlots<'files' | 'max_object_size'>;
    /** run_pings over the batches' winner files. */
    runPings: SqlFileWithSlots<'files'>;
  };
}

export const vehiclePositions: FeedTable = {
  name: 'vehicle_positions',
  sql: {
    schema: 'ingest/01_pings',
    readBatch: 'ingest/02_batch_rows',
    batchWinners: 'ingest/03_batch_kept',
    batchEveryRow: 'ingest/03_batch_kept_every_row',
    batchCounts: 'ingest/04_batch_out',
    appendBatch: 'ingest/05_pings_append',
    keepBatchWinners: 'ingest/05_batch_winners_file',
    checkFiles: 'ingest/06_quiet_file_facts',
    runPings: 'ingest/07_run_pings',
  },
};
