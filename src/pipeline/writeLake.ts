import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError, oneLine } from '../errors.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlString, sqlStringList } from '../db/sqlText.js';
import type { Store } from '../store/store.js';
import { ruleSlots, type DedupeRule } from './dedupeRule.js';
import type { Day } from './dayMode.js';
import type { Reporter } from './reporter.js';

/** The lake table's folder under --out. */
export const tableDir = 'vehicle_positions';
/** Each partition is exactly one object with this name, so replacing it is one atomic step. */
export const partitionFile = 'data.parquet';

export interface PartitionResult {
  partition: string;
  year: number;
  month: number;
  day: number;
  /** Where the partition's file is (local path or s3:// URI). */
  path: string;
  rows: number;
  rows_before: number;
  status: 'written' | 'unchanged';
}

export interface WriteResult {
  partitions: PartitionResult[];
  /** This run's pings that were already in the lake (same source_key and entity_index). */
  rowsAlreadyInLake: number;
}

export interface WriteOptions {
  out: Store;
  rule: DedupeRule;
  workDir: string;
  reporter: Reporter;
  /** Day mode: write only this day's partition, replacing it (no merge with what it held). */
  day?: Day;
}

export function partitionPath(year: number, month: number, day: number): string {
  return `${tableDir}/year=${year}/month=${month}/day=${day}`;
}

interface ExistingPartition {
  year: number;
  month: number;
  day: number;
  /** Local copy to read, if the partition exists. */
  file?: string;
  /** The version read (an S3 ETag; null where the store has none), for the conditional write. */
  etag?: string | null;
}

async function readExisting(
  connection: DuckDBConnection,
  touched: { year: number; month: number; day: number }[],
  options: WriteOptions,
): Promise<Map<string, ExistingPartition>> {
  const result = new Map<string, ExistingPartition>();
  const { out } = options;
  let n = 0;
  const merged: string[] = [];
  for (const t of touched) {
    const rel = partitionPath(t.year, t.month, t.day);
    const entry: ExistingPartition = { ...t };
    const copy = await out.copyToFile(
      `${rel}/${partitionFile}`,
      join(options.workDir, `existing-${++n}.parquet`),
    );
    if (copy) {
      entry.file = copy.path;
      entry.etag = copy.version ?? null;
    }
    if (entry.file && !options.day) {
      try {
        await readSqlFile(connection, '36_check_partition', { file: sqlString(entry.file) });
        merged.push(entry.file);
      } catch (err) {
        throw new OutputError(
          `the existing partition ${out.uri}/${rel}/${partitionFile} cannot be read (${oneLine(err)}); move it aside and re-run to rebuild that day`,
        );
      }
    }
    result.set(rel, entry);
  }
  if (merged.length > 0) await runSqlFile(connection, '35_lake_existing', { files: sqlStringList(merged) });
  return result;
}

/**
 * Merges this run's pings into the lake, partition by partition (UTC day of the ping's timestamp).
 * Each touched partition is read back, merged with the new rows under the dedupe rule and written
 * as one new file that replaces the old one in one step (rename locally, one PUT on S3 guarded by
 * If-Match/If-None-Match). A partition whose rows would not change is left untouched.
 */
export async function writeLake(connection: DuckDBConnection, options: WriteOptions): Promise<WriteResult> {
  const { out, reporter } = options;
  const touched = (await readSqlFile(connection, '26_touched_partitions')).map((r) => ({
    year: Number(r.year),
    month: Number(r.month),
    day: Number(r.day),
  }));
  reporter.stage('merging partitions', touched.length);
  const existing = await readExisting(connection, touched, options);
  await runSqlFile(connection, '30_merge_lake', ruleSlots(options.rule));
  await runSqlFile(connection, '31_partition_changes');
  const changes = await readSqlFile(connection, '32_partition_report');
  const already = await readSqlFile(connection, '33_rows_already_in_lake');

  const staging = out.stagingFolder(options.workDir);
  const partitions: PartitionResult[] = [];
  try {
    if (changes.some((c) => c.changed)) {
      reporter.stage('writing parquet');
      await mkdir(staging, { recursive: true, mode: 0o700 });
      await runSqlFile(connection, '40_write_partitions', { staging: sqlString(staging) });
    }
    let done = 0;
    const toPublish = changes.filter((c) => c.changed).length;
    if (toPublish > 0 && !(await out.honoursConditionalWrites())) {
      reporter.warn(
        `the S3 store ignores conditional writes (If-Match / If-None-Match), so a concurrent run writing the same partitions could overwrite this one's rows; run one writer per partition at a time`,
      );
    }
    reporter.stage(out.remote ? 'uploading partitions' : 'publishing partitions', toPublish);
    for (const c of changes) {
      const year = Number(c.year);
      const month = Number(c.month);
      const day = Number(c.day);
      const rel = partitionPath(year, month, day);
      const target = out.uriOf(`${rel}/${partitionFile}`);
      const result: PartitionResult = {
        partition: `year=${year}/month=${month}/day=${day}`,
        year,
        month,
        day,
        path: target,
        rows: Number(c.rows),
        rows_before: Number(c.rows_before),
        status: c.changed ? 'written' : 'unchanged',
      };
      if (c.changed) {
        const dir = join(staging, `year=${year}`, `month=${month}`, `day=${day}`);
        const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet'));
        if (files.length !== 1)
          throw new OutputError(
            `internal: expected one Parquet file for ${rel}, DuckDB wrote ${files.length}`,
          );
        const prior = existing.get(rel);
        await out.publish(join(dir, files[0]!), `${rel}/${partitionFile}`, {
          replacing: prior?.etag || null,
          what: 'partition',
        });
        reporter.progress(++done, toPublish);
      }
      partitions.push(result);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { partitions, rowsAlreadyInLake: Number(already[0]?.rows ?? 0) };
}
