import type { DuckDBConnection } from '@duckdb/node-api';
import { mergeLake, type MergeInfo } from '../pipeline/ingest/mergeLake.js';
import { writePartitions } from '../pipeline/ingest/writePartitions.js';
import { silentReporter } from '../pipeline/reporter.js';
import type { Store } from '../store/store.js';
import type { FeedKind } from './feedKinds.js';
import type { FeedInfos, FeedTableName } from './feedLoadInfo.js';
import { feedLakeTables } from './feedTables.js';

export type FeedMerges = Partial<Record<FeedTableName, MergeInfo>>;

interface FeedLakeOptions {
  out: Store;
  workDir: string;
  replace: boolean;
  signal?: AbortSignal;
}

/**
 * One feed table's merge and write, through vehicle_positions' own stages (mergeLake,
 * writePartitions) with the table's descriptor: the run's kept rows (`keptFiles`) merged with the
 * touched partitions and the changed ones published. Silent, and without a second probe of the
 * store's conditional writes (vehicle_positions' write makes it), as before they shared the stages.
 */
export async function mergeFeedTable(
  connection: DuckDBConnection,
  table: FeedTableName,
  keptFiles: readonly string[],
  options: FeedLakeOptions,
): Promise<MergeInfo> {
  const lake = feedLakeTables[table];
  const merged = await mergeLake(connection, lake, {
    out: options.out,
    workDir: options.workDir,
    reporter: silentReporter,
    replace: options.replace,
    runFiles: keptFiles,
  });
  await writePartitions(connection, lake, merged, {
    out: options.out,
    workDir: options.workDir,
    reporter: silentReporter,
    probeConditionalWrites: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return merged;
}

/**
 * The merge and write stages for trip_updates and alerts, after vehicle_positions': each table
 * loaded this run is merged with its lake partitions and its changed partitions are published.
 */
export async function ingestFeedTables(
  connection: DuckDBConnection,
  feeds: FeedInfos,
  options: FeedLakeOptions,
): Promise<FeedMerges> {
  const merges: FeedMerges = {};
  for (const table of ['trip_updates', 'alerts'] as const) {
    const info = feeds[table];
    if (!info) continue;
    merges[table] = await mergeFeedTable(connection, table, info.keptFiles, options);
  }
  return merges;
}

export interface FeedTableSummary {
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: Record<string, number>;
  rows_written: number;
  partitions_written: number;
  partitions_unchanged: number;
  partitions: {
    partition: string;
    path: string;
    rows: number;
    rows_before: number;
    status: 'written' | 'unchanged';
  }[];
  /** Day mode: valid rows of neighbouring days, left to their jobs. */
  rows_outside_day?: number;
}

interface VehicleSummary {
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: Record<string, number>;
  rows_written: number;
  partitions_written: number;
  partitions_unchanged: number;
  partitions: FeedTableSummary['partitions'];
  rows_outside_day?: number;
}

/** The --json summary's `tables`: one entry per table built, vehicle_positions' from today's keys. */
export function feedTableSummaries(
  selected: readonly FeedKind[],
  vehicle: VehicleSummary,
  feeds: FeedInfos,
  merges: FeedMerges,
  out?: Store,
): Record<string, FeedTableSummary> {
  const tables: Record<string, FeedTableSummary> = {};
  if (selected.includes('vehicle_positions')) {
    tables.vehicle_positions = {
      rows_read: vehicle.rows_read,
      rows_rejected: vehicle.rows_rejected,
      rows_rejected_by_reason: vehicle.rows_rejected_by_reason,
      rows_written: vehicle.rows_written,
      partitions_written: vehicle.partitions_written,
      partitions_unchanged: vehicle.partitions_unchanged,
      partitions: vehicle.partitions.map(({ partition, path, rows, rows_before, status }) => ({
        partition,
        path,
        rows,
        rows_before,
        status,
      })),
      ...(vehicle.rows_outside_day !== undefined ? { rows_outside_day: vehicle.rows_outside_day } : {}),
    };
  }
  for (const table of ['trip_updates', 'alerts'] as const) {
    const info = feeds[table];
    const merged = merges[table];
    if (!selected.includes(table)) continue;
    const partitions = (merged?.partitions ?? []).map((p) => ({
      partition: `year=${p.year}/month=${p.month}/day=${p.day}`,
      path: out ? out.uriOf(`${p.rel}/data.parquet`) : `${p.rel}/data.parquet`,
      rows: p.rows,
      rows_before: p.rowsBefore,
      status: p.changed ? ('written' as const) : ('unchanged' as const),
    }));
    const written = partitions.filter((p) => p.status === 'written');
    const rejected = info?.rejected ?? {};
    tables[table] = {
      rows_read: info?.rows ?? 0,
      rows_rejected: Object.values(rejected).reduce((a, b) => a + b, 0),
      rows_rejected_by_reason: rejected,
      rows_written: written.reduce((n, p) => n + p.rows, 0),
      partitions_written: written.length,
      partitions_unchanged: partitions.length - written.length,
      partitions,
      ...(vehicle.rows_outside_day !== undefined ? { rows_outside_day: info?.outsideDay ?? 0 } : {}),
    };
  }
  return tables;
}
