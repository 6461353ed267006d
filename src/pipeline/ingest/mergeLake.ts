import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { OutputError, RtlakeError, oneLine } from '../../errors.js';
import { readSqlFile, runSqlFile } from '../../db/runSqlFile.js';
import { sqlString, sqlStringList } from '../../db/sqlText.js';
import type { Store } from '../../store/store.js';
import { ruleWindow, type DedupeRule } from '../dedupeRule.js';
import { partitionFile, partitionPath } from '../lakeLayout.js';
import type { Reporter } from '../reporter.js';

/** One touched day partition after the merge: its rows before and after, and the version read. */
export interface PartitionChange {
  year: number;
  month: number;
  day: number;
  /** vehicle_positions/year=Y/month=M/day=D */
  rel: string;
  rows: number;
  rowsBefore: number;
  changed: boolean;
  /** The version of the partition read (an S3 ETag); null when it did not exist or the store has none. */
  version: string | null;
}

export interface MergeInfo {
  partitions: PartitionChange[];
  /** This run's pings that were already in the lake (same source_key and entity_index). */
  rowsAlreadyInLake: number;
}

export interface MergeOptions {
  out: Store;
  rule: DedupeRule;
  workDir: string;
  reporter: Reporter;
  /** Day mode: the day's partition is replaced, not merged with what it held. */
  replace: boolean;
}

/**
 * Merges this run's pings (run_pings) with the lake's rows, day partition by day partition (UTC day
 * of the ping's own timestamp), under the dedupe rule: each touched partition is read back (a local
 * copy), and the kept rows of every partition are decided (lake_kept, partition_changes).
 */
export async function mergeLake(connection: DuckDBConnection, options: MergeOptions): Promise<MergeInfo> {
  const touched = await readSqlFile(connection, 'lake/01_touched_partitions');
  options.reporter.stage('merging partitions', touched.length);
  const versions = new Map<string, string | null>();
  const merged: string[] = [];
  for (const [n, t] of touched.entries()) {
    const rel = partitionPath(Number(t.year), Number(t.month), Number(t.day));
    const copy = await options.out.copyToFile(
      `${rel}/${partitionFile}`,
      join(options.workDir, `existing-${n + 1}.parquet`),
    );
    versions.set(rel, copy?.version || null);
    if (copy && !options.replace) merged.push(await checkPartition(connection, copy.path, options.out, rel));
  }
  if (merged.length > 0)
    await runSqlFile(connection, 'lake/03_lake_existing', { files: sqlStringList(merged) });
  await runSqlFile(connection, 'lake/04_lake_kept', { rule_window: ruleWindow(options.rule, 'merge_rank') });
  const changes = await readSqlFile(connection, 'lake/05_partition_changes');
  const already = await readSqlFile(connection, 'lake/06_rows_already_in_lake');
  return {
    partitions: changes.map((c) => {
      const rel = partitionPath(Number(c.year), Number(c.month), Number(c.day));
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
    rowsAlreadyInLake: Number(already[0]?.rows ?? 0),
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
