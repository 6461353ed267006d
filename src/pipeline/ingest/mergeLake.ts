import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { OutputError, RtlakeError, oneLine } from '../../errors.js';
import { readSqlFile } from '../../db/runSqlFile.js';
import { sqlString } from '../../db/sqlText.js';
import type { Store } from '../../store/store.js';
import { partitionFile } from '../lakeLayout.js';
import type { Reporter } from '../reporter.js';
import type { LakeTable } from './feedTable.js';

/** One touched day partition after the merge: its rows before and after, and the version read. */
export interface PartitionChange {
  year: number;
  month: number;
  day: number;
  /** <table>/year=Y/month=M/day=D */
  rel: string;
  rows: number;
  rowsBefore: number;
  changed: boolean;
  /** The version of the partition read (an S3 ETag); null when it did not exist or the store has none. */
  version: string | null;
}

export interface MergeInfo {
  partitions: PartitionChange[];
  /** This run's rows that were already in the lake (vehicle_positions: same source_key and entity_index). */
  rowsAlreadyInLake: number;
}

export interface MergeOptions {
  out: Store;
  workDir: string;
  reporter: Reporter;
  /** Day mode: the day's partition is replaced, not merged with what it held. */
  replace: boolean;
  /** This run's kept rows (the batches' Parquet files), for a table whose load did not point them. */
  runFiles?: readonly string[];
}

/** <table>/year=Y/month=M/day=D (no zero padding, as Athena's projection expects). */
export function tablePartitionPath(table: string, year: number, month: number, day: number): string {
  return `${table}/year=${year}/month=${month}/day=${day}`;
}

/**
 * Merges this run's rows of one table with the lake's rows, day partition by day partition, under
 * the table's rule: each touched partition is read back (a local copy, checked readable), and the
 * kept rows of every partition are decided (LakeTable.keep, then its changes statement).
 */
export async function mergeLake(
  connection: DuckDBConnection,
  table: LakeTable,
  options: MergeOptions,
): Promise<MergeInfo> {
  if (table.pointRun) await table.pointRun(connection, options.runFiles ?? []);
  const touched = await readSqlFile(connection, table.sql.touched);
  options.reporter.stage('merging partitions', touched.length);
  const versions = new Map<string, string | null>();
  const merged: string[] = [];
  for (const [n, t] of touched.entries()) {
    const rel = tablePartitionPath(table.name, Number(t.year), Number(t.month), Number(t.day));
    const copy = await options.out.copyToFile(
      `${rel}/${partitionFile}`,
      join(options.workDir, `${table.name}-existing-${n + 1}.parquet`),
    );
    versions.set(rel, copy?.version || null);
    if (copy && !options.replace) merged.push(await checkPartition(connection, copy.path, options.out, rel));
  }
  await table.pointExisting(connection, merged);
  await table.keep(connection);
  const changes = await readSqlFile(connection, table.sql.changes);
  return {
    partitions: changes.map((c) => {
      const rel = tablePartitionPath(table.name, Number(c.year), Number(c.month), Number(c.day));
      return {
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
    rowsAlreadyInLake: await table.rowsAlreadyInLake(connection, changes),
  };
}

/** An existing partition must be readable before anything is merged into it. */
export async function checkPartition(
  connection: DuckDBConnection,
  file: string,
  out: Store,
  rel: string,
): Promise<string> {
  try {
    await readSqlFile(connection, 'lake/02_partition_check', { file: sqlString(file) });
    return file;
  } catch (err) {
    if (err instanceof RtlakeError) throw err; // out of memory, interrupted
    throw new OutputError(
      `the existing partition ${out.uri}/${rel}/${partitionFile} cannot be read (${oneLine(err)}); move it aside and re-run to rebuild that day`,
    );
  }
}
