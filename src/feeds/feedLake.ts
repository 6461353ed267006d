import { checkPartition } from '../pipeline/ingest/mergeLake.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../errors.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import type { SqlFile } from '../db/sqlFiles.js';
import { sqlString } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { mergeAlerts, mergeTripUpdates, pointFeedView } from './feedTables.js';

/** The tables beside vehicle_positions, each in its own folder under the lake. */
export type FeedLakeTable = 'trip_updates' | 'alerts';

const sql = {
  trip_updates: {
    touched: 'lake/10_trip_updates_touched',
    changes: 'lake/12_trip_updates_partition_changes',
    write: 'lake/13_trip_updates_partition_files',
  },
  alerts: {
    touched: 'lake/14_alerts_touched',
    changes: 'lake/16_alerts_partition_changes',
    write: 'lake/17_alerts_partition_files',
  },
} as const satisfies Record<FeedLakeTable, { touched: SqlFile; changes: SqlFile; write: SqlFile }>;

const partitionFile = 'data.parquet';

/** <table>/year=Y/month=M/day=D, as for vehicle_positions (no zero padding). */
export function feedPartitionPath(table: FeedLakeTable, year: number, month: number, day: number): string {
  return `${table}/year=${year}/month=${month}/day=${day}`;
}

export interface FeedPartition {
  table: FeedLakeTable;
  year: number;
  month: number;
  day: number;
  rel: string;
  rows: number;
  rowsBefore: number;
  changed: boolean;
  version: string | null;
}

export interface FeedMergeInfo {
  partitions: FeedPartition[];
  rowsAlreadyInLake: number;
}

/**
 * Merges the run's rows of one table (its *_run view, over the batches' Parquet files) with the
 * lake's partitions of the days they touch, read back as local copies: the table's rule decides
 * the kept rows of each day (sql/lake/<table>_kept.sql). Day mode replaces instead of merging.
 */
export async function mergeFeedTable(
  connection: DuckDBConnection,
  table: FeedLakeTable,
  runFiles: readonly string[],
  options: { out: Store; workDir: string; replace: boolean },
): Promise<FeedMergeInfo> {
  await pointFeedView(connection, `${table}_run`, runFiles);
  const touched = await readSqlFile(connection, sql[table].touched);
  const versions = new Map<string, string | null>();
  const existing: string[] = [];
  for (const [n, t] of touched.entries()) {
    const rel = feedPartitionPath(table, Number(t.year), Number(t.month), Number(t.day));
    const copy = await options.out.copyToFile(
      `${rel}/${partitionFile}`,
      join(options.workDir, `${table}-existing-${n + 1}.parquet`),
    );
    versions.set(rel, copy?.version || null);
    if (copy && !options.replace)
      existing.push(await checkPartition(connection, copy.path, options.out, rel));
  }
  await pointFeedView(connection, `${table}_existing`, existing);
  if (table === 'trip_updates') await mergeTripUpdates(connection);
  else await mergeAlerts(connection);
  const changes = await readSqlFile(connection, sql[table].changes);
  return {
    partitions: changes.map((c) => {
      const rel = feedPartitionPath(table, Number(c.year), Number(c.month), Number(c.day));
      return {
        table,
        year: Number(c.year),
        month: Number(c.month),
        day: Number(c.day),
        rel,
        rows: Number(c.rows),
        rowsBefore: Number(c.rows_before),
        changed: Boolean(c.changed),
        version: versions.get(rel) ?? null,
      };
    }),
    rowsAlreadyInLake: changes.reduce((n, c) => Math.max(n, Number(c.rows_already_in_lake)), 0),
  };
}

/**
 * Writes each changed partition of the table as one Parquet file and publishes it over the old one
 * in one step, exactly as vehicle_positions' partitions are (a rename in a folder, one conditional
 * PUT on S3). Unchanged partitions are left alone.
 */
export async function writeFeedPartitions(
  connection: DuckDBConnection,
  table: FeedLakeTable,
  merge: FeedMergeInfo,
  options: { out: Store; workDir: string; signal?: AbortSignal },
): Promise<void> {
  const changed = merge.partitions.filter((p) => p.changed);
  if (changed.length === 0) return;
  const staging = options.out.stagingFolder(options.workDir);
  try {
    await mkdir(staging, { recursive: true, mode: 0o700 });
    await runSqlFile(connection, sql[table].write, { staging: sqlString(staging) });
    for (const p of changed) {
      options.signal?.throwIfAborted();
      const dir = join(staging, `year=${p.year}`, `month=${p.month}`, `day=${p.day}`);
      const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet'));
      if (files.length !== 1)
        throw new OutputError(
          `internal: expected one Parquet file for ${p.rel}, DuckDB wrote ${files.length}`,
        );
      await options.out.publish(join(dir, files[0]!), `${p.rel}/${partitionFile}`, {
        replacing: p.version,
        what: 'partition',
      });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
