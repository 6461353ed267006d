import type { DuckDBConnection } from '@duckdb/node-api';
import { readSqlFile, runSqlFile } from '../../db/runSqlFile.js';
import type { SqlFileWithSlots } from '../../db/sqlFiles.js';
import { sqlStringList } from '../../db/sqlText.js';
import { ruleWindow, type DedupeRule } from '../dedupeRule.js';
import { tableDir } from '../lakeLayout.js';

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
    /** The empty table batch_keys (file, part, source key, how read), which the loader fills for readBatch. */
    batchKeys: SqlFileWithSlots<never>;
    /** load_keys and the view batch_rows over one batch's JSON files and decoded vehicle rows. */
    readBatch: SqlFileWithSlots<'day' | 'empty_file' | 'max_object_size'>;
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
    /** Keeps the run's last batch's winners in DuckDB (nothing else is read after it). */
    keepLastBatchWinners: SqlFileWithSlots<never>;
    /** Takes back the rows keepLastBatchWinners kept for some source keys (an attempt that failed later). */
    undoLastBatchWinners: SqlFileWithSlots<'keys'>;
    /** The facts about files that added no row. */
    checkFiles: SqlFileWithSlots<'files' | 'max_object_size'>;
    /** run_pings over the batches' winner files and the last batch's winners. */
    runPings: SqlFileWithSlots<'files'>;
  };
}

export const vehiclePositions: FeedTable = {
  name: 'vehicle_positions',
  sql: {
    schema: 'ingest/01_pings',
    batchKeys: 'ingest/02_batch_keys',
    readBatch: 'ingest/02_batch_rows',
    batchWinners: 'ingest/03_batch_kept',
    batchEveryRow: 'ingest/03_batch_kept_every_row',
    batchCounts: 'ingest/04_batch_out',
    appendBatch: 'ingest/05_pings_append',
    keepBatchWinners: 'ingest/05_batch_winners_file',
    keepLastBatchWinners: 'ingest/05_last_batch_winners',
    undoLastBatchWinners: 'ingest/05_last_batch_undo',
    checkFiles: 'ingest/06_quiet_file_facts',
    runPings: 'ingest/07_run_pings',
  },
};

/**
 * What the merge and write stages (mergeLake, writePartitions) need to know about one lake table:
 * its folder and the sql/ files taking the same slots for every table: the days this run touches,
 * the changes per touched day, and the staged Parquet files of the changed ones; and how its rule
 * and inputs are set (each table's own statements). vehicle_positions, trip_updates and alerts go
 * through the same stages: the same crash safety, conditional writes, day mode and plan.
 */
export interface LakeTable {
  /** The table's folder in the lake. */
  name: string;
  sql: {
    /** The UTC days this run's rows fall on (year, month, day). */
    touched: SqlFileWithSlots<never>;
    /** Per touched day: rows, rows_before, changed (and the table's own counts). */
    changes: SqlFileWithSlots<never>;
    /** Copies each changed day's kept rows to {{staging}}/year=/month=/day=/. */
    write: SqlFileWithSlots<'staging'>;
  };
  /** Points the merge at this run's rows (the batches' kept Parquet files), when the load did not. */
  pointRun?(connection: DuckDBConnection, files: readonly string[]): Promise<void>;
  /** Points the merge at the touched partitions' local copies (none: a new day, or day mode). */
  pointExisting(connection: DuckDBConnection, files: readonly string[]): Promise<void>;
  /** Decides every touched day's kept rows under the table's rule. */
  keep(connection: DuckDBConnection): Promise<void>;
  /** This run's rows that were already in the lake. */
  rowsAlreadyInLake(connection: DuckDBConnection, changes: Record<string, unknown>[]): Promise<number>;
}

/** vehicle_positions under the run's rule; its run_pings view is set by the load stage (finishKeptRows). */
export function vehiclePositionsLake(rule: DedupeRule): LakeTable {
  return {
    name: tableDir,
    sql: {
      touched: 'lake/01_touched_partitions',
      changes: 'lake/05_partition_changes',
      write: 'lake/07_partition_files',
    },
    async pointExisting(connection, files) {
      if (files.length > 0)
        await runSqlFile(connection, 'lake/03_lake_existing', { files: sqlStringList(files) });
    },
    async keep(connection) {
      await runSqlFile(connection, 'lake/04_lake_kept', { rule_window: ruleWindow(rule, 'merge_rank') });
    },
    async rowsAlreadyInLake(connection) {
      const [already] = await readSqlFile(connection, 'lake/06_rows_already_in_lake');
      return Number(already?.rows ?? 0);
    },
  };
}
