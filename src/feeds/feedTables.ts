import type { DuckDBConnection } from '@duckdb/node-api';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlDate, sqlIdent, sqlInteger, sqlString, sqlStringList, sqlStringRows } from '../db/sqlText.js';
import type { LakeTable } from '../pipeline/ingest/feedTable.js';
import type { FeedTableName } from './feedLoadInfo.js';
import { alertRuleSlots, tripUpdateRuleSlots } from './feedRules.js';

/** A local file of the batch: the path DuckDB reads and the key it came from (lineage). */
export interface FeedFile {
  path: string;
  sourceKey: string;
}

export interface FeedBatchOptions {
  maxObjectSize: number;
  /** Day mode: only rows of this UTC day (of feed_timestamp) are kept. */
  day?: { year: number; month: number; day: number } | null;
  /** The Parquet file the batch's kept rows go to (in the run's private work folder). */
  keptFile: string;
}

/** What one table's read of a batch found, per file and in total. */
export interface FeedBatchCounts {
  /** Rows read (stop_time_updates for trip_updates, alert entities for alerts) per source key. */
  rowsByKey: Map<string, number>;
  rows: number;
  rejected: Record<string, number>;
  outsideDay: number;
}

function countRows(
  rows: Record<string, unknown>[],
  rowColumn: string,
  rejections: string[],
): FeedBatchCounts {
  const counts: FeedBatchCounts = { rowsByKey: new Map(), rows: 0, rejected: {}, outsideDay: 0 };
  for (const r of rejections) counts.rejected[r] = 0;
  for (const row of rows) {
    const n = Number(row[rowColumn]);
    counts.rowsByKey.set(String(row.source_key), n);
    counts.rows += n;
    counts.outsideDay += Number(row.outside_day);
    for (const r of rejections) counts.rejected[r]! += Number(row[r]);
  }
  return counts;
}

/** The reasons each table rejects a row for (the summary's rows_rejected_by_reason keys). */
export const rejectionReasons = {
  trip_updates: ['missing_trip_id', 'missing_stop', 'missing_feed_timestamp'],
  alerts: ['missing_alert_id', 'missing_feed_timestamp'],
} as const;

/** The counts of a batch that gave the table nothing to read. */
export function noFeedRows(table: keyof typeof rejectionReasons): FeedBatchCounts {
  return countRows([], '', [...rejectionReasons[table]]);
}

/** The macros and empty tables the trip_updates and alerts statements read. */
export async function createFeedTables(connection: DuckDBConnection): Promise<void> {
  await runSqlFile(connection, 'ingest/00_feed_macros');
  await runSqlFile(connection, 'lake/08_feed_tables');
}

async function setLoadKeys(connection: DuckDBConnection, files: readonly FeedFile[]): Promise<void> {
  await runSqlFile(connection, 'ingest/10_load_keys', {
    keys: sqlStringRows(files.map((f) => [f.path, f.sourceKey])),
  });
}

function readSlots(files: readonly FeedFile[], options: FeedBatchOptions) {
  return {
    files: sqlStringList(files.map((f) => f.path)),
    max_object_size: sqlInteger(options.maxObjectSize),
    day: sqlDate(options.day ?? null),
  };
}

/**
 * Reads the batch's trip updates in one streaming statement, keeps each prediction's batch winner
 * in options.keptFile and returns the counts (sql/ingest/trip_update_*.sql).
 */
export async function loadTripUpdateBatch(
  connection: DuckDBConnection,
  files: readonly FeedFile[],
  options: FeedBatchOptions,
): Promise<FeedBatchCounts> {
  await setLoadKeys(connection, files);
  await runSqlFile(connection, 'ingest/11_trip_update_rows', readSlots(files, options));
  const perFile = await readSqlFile(
    connection,
    'ingest/12_trip_update_batch_kept',
    tripUpdateRuleSlots('batch'),
  );
  await runSqlFile(connection, 'ingest/13_trip_update_winners_file', {
    kept_file: sqlString(options.keptFile),
  });
  return countRows(perFile, 'trip_update_rows', [...rejectionReasons.trip_updates]);
}

/** Reads the batch's alerts, keeps its alert versions in options.keptFile, returns the counts. */
export async function loadAlertBatch(
  connection: DuckDBConnection,
  files: readonly FeedFile[],
  options: FeedBatchOptions,
): Promise<FeedBatchCounts> {
  await setLoadKeys(connection, files);
  await runSqlFile(connection, 'ingest/14_alert_rows', readSlots(files, options));
  const perFile = await readSqlFile(connection, 'ingest/15_alert_batch_groups', alertRuleSlots('batch'));
  await runSqlFile(connection, 'ingest/16_alert_versions_file', { kept_file: sqlString(options.keptFile) });
  return countRows(perFile, 'alerts', [...rejectionReasons.alerts]);
}

type FeedView = 'trip_updates_run' | 'trip_updates_existing' | 'alerts_run' | 'alerts_existing';

/** Points one of the merge's inputs at Parquet files (none: the empty table). */
export async function pointFeedView(
  connection: DuckDBConnection,
  view: FeedView,
  files: readonly string[],
): Promise<void> {
  const like = view.startsWith('trip_updates') ? 'trip_updates_none' : 'alerts_none';
  if (files.length === 0) {
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${sqlIdent(view).text} AS SELECT * FROM ${sqlIdent(like).text}`,
    );
    return;
  }
  await runSqlFile(connection, 'lake/09_feed_table_files', {
    view: sqlIdent(view),
    like: sqlIdent(like),
    files: sqlStringList(files),
  });
}

/** trip_updates_kept: the rule over the lake's rows and the run's batch winners. */
export async function mergeTripUpdates(connection: DuckDBConnection): Promise<void> {
  await runSqlFile(connection, 'lake/11_trip_updates_kept', tripUpdateRuleSlots('lake'));
}

/** alerts_kept: the versions of the lake's and the run's alert versions. */
export async function mergeAlerts(connection: DuckDBConnection): Promise<void> {
  await runSqlFile(connection, 'lake/15_alerts_kept', alertRuleSlots('lake'));
}

/** The lake stages' view of trip_updates and alerts (src/pipeline/ingest/mergeLake.ts, writePartitions.ts). */
function feedLake(
  name: FeedTableName,
  sql: LakeTable['sql'],
  keep: (connection: DuckDBConnection) => Promise<void>,
): LakeTable {
  return {
    name,
    sql,
    pointRun: (connection, files) => pointFeedView(connection, `${name}_run`, files),
    pointExisting: (connection, files) => pointFeedView(connection, `${name}_existing`, files),
    keep,
    rowsAlreadyInLake: (_connection, changes) =>
      Promise.resolve(changes.reduce((n, c) => Math.max(n, Number(c.rows_already_in_lake)), 0)),
  };
}

export const feedLakeTables: Record<FeedTableName, LakeTable> = {
  trip_updates: feedLake(
    'trip_updates',
    {
      touched: 'lake/10_trip_updates_touched',
      changes: 'lake/12_trip_updates_partition_changes',
      write: 'lake/13_trip_updates_partition_files',
    },
    mergeTripUpdates,
  ),
  alerts: feedLake(
    'alerts',
    {
      touched: 'lake/14_alerts_touched',
      changes: 'lake/16_alerts_partition_changes',
      write: 'lake/17_alerts_partition_files',
    },
    mergeAlerts,
  ),
};
