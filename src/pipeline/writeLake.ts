import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, OutputError, RtlakeError, oneLine } from '../errors.js';
import { joinKey, type Location } from '../location.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlString, sqlStringList } from '../db/sqlText.js';
import type { RetryCounter, RetryPolicy } from '../retry.js';
import { downloadObject } from '../s3/objectFiles.js';
import { probeConditionalWrites } from '../s3/probeConditionalWrites.js';
import { putObjectFile, type WriteCondition } from '../s3/putObjectFile.js';
import { describeS3Error, isPreconditionFailed } from '../s3/s3Errors.js';
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
  out: Location;
  rule: DedupeRule;
  workDir: string;
  reporter: Reporter;
  s3?: () => S3Client;
  endpoint?: string;
  policy?: RetryPolicy;
  counter?: RetryCounter;
  /** Day mode: write only this day's partition, replacing it (no merge with what it held). */
  day?: Day;
}

export function partitionPath(year: number, month: number, day: number): string {
  return `${tableDir}/year=${year}/month=${month}/day=${day}`;
}

/** Fails early, with one line, if a local output folder cannot be created or written. */
export async function checkLocalOutput(out: Extract<Location, { kind: 'local' }>): Promise<void> {
  try {
    await mkdir(out.path, { recursive: true });
    const probe = join(out.path, `.rtlake-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    await (await open(probe, 'wx', 0o600)).close();
    await unlink(probe);
  } catch (err) {
    throw new OutputError(`output folder ${out.uri} is not writable: ${oneLine(err)}`, { cause: err });
  }
}

/**
 * One writer per local lake at a time: an exclusive lock file holding our pid. A lock left by a
 * process that no longer exists (killed) is taken over.
 */
export async function lockLocalLake(out: Extract<Location, { kind: 'local' }>): Promise<() => Promise<void>> {
  const lockPath = join(out.path, '.rtlake.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      // Holding the lock, any staging folder is a killed run's leftover: its files were never published.
      for (const name of await readdir(out.path).catch(() => [] as string[])) {
        if (name.startsWith('.rtlake-staging-'))
          await rm(join(out.path, name), { recursive: true, force: true });
      }
      return async () => {
        await rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new OutputError(`cannot lock ${lockPath}: ${oneLine(err)}`);
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      let alive = false;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive && owner !== process.pid) {
        throw new ConflictError(
          `another rtlake (pid ${owner}) is writing ${out.uri}; wait for it, or remove ${lockPath} if it is gone`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new ConflictError(`cannot lock ${lockPath}`);
}

interface ExistingPartition {
  year: number;
  month: number;
  day: number;
  /** Local copy to read, if the partition exists. */
  file?: string;
  /** ETag of the S3 object read, for the conditional write. */
  etag?: string;
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
    if (out.kind === 'local') {
      const file = join(out.path, rel, partitionFile);
      if (
        await stat(file).then(
          () => true,
          () => false,
        )
      )
        entry.file = file;
    } else {
      const file = join(options.workDir, `existing-${++n}.parquet`);
      const key = joinKey(out.prefix, `${rel}/${partitionFile}`);
      try {
        const etag = await downloadObject(options.s3!(), out.bucket, key, file, {
          ...(options.policy ? { policy: options.policy } : {}),
          ...(options.counter ? { counter: options.counter } : {}),
        });
        if (etag !== null) {
          entry.file = file;
          entry.etag = etag;
        }
      } catch (err) {
        throw describeS3Error(
          err,
          'reading the existing partition',
          `s3://${out.bucket}/${key}`,
          options.endpoint,
        );
      }
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

  const staging =
    out.kind === 'local'
      ? join(out.path, `.rtlake-staging-${process.pid}-${randomBytes(4).toString('hex')}`)
      : join(options.workDir, 'staging');
  const partitions: PartitionResult[] = [];
  try {
    if (changes.some((c) => c.changed)) {
      reporter.stage('writing parquet');
      await mkdir(staging, { recursive: true, mode: 0o700 });
      await runSqlFile(connection, '40_write_partitions', { staging: sqlString(staging) });
    }
    let done = 0;
    const toPublish = changes.filter((c) => c.changed).length;
    if (out.kind === 's3' && toPublish > 0) {
      const honoured = await probeConditionalWrites(
        options.s3!(),
        out.bucket,
        out.prefix === '' || out.prefix.endsWith('/') ? out.prefix : `${out.prefix}/`,
        {
          ...(options.policy ? { policy: options.policy } : {}),
          ...(options.counter ? { counter: options.counter } : {}),
        },
      ).catch((err: unknown) => {
        throw err instanceof RtlakeError
          ? err
          : describeS3Error(err, 'upload', `s3://${out.bucket}/${out.prefix}`, options.endpoint, 'write');
      });
      if (!honoured) {
        reporter.warn(
          `the S3 store ignores conditional writes (If-Match / If-None-Match), so a concurrent run writing the same partitions could overwrite this one's rows; run one writer per partition at a time`,
        );
      }
    }
    reporter.stage(out.kind === 's3' ? 'uploading partitions' : 'publishing partitions', toPublish);
    for (const c of changes) {
      const year = Number(c.year);
      const month = Number(c.month);
      const day = Number(c.day);
      const rel = partitionPath(year, month, day);
      const target =
        out.kind === 'local'
          ? join(out.path, rel, partitionFile)
          : `s3://${out.bucket}/${joinKey(out.prefix, `${rel}/${partitionFile}`)}`;
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
        const file = join(dir, files[0]!);
        if (out.kind === 'local') {
          await mkdir(join(out.path, rel), { recursive: true });
          await rename(file, target);
        } else {
          const prior = existing.get(rel);
          const condition: WriteCondition = prior?.etag ? { ifMatch: prior.etag } : { ifNoneMatch: '*' };
          const key = joinKey(out.prefix, `${rel}/${partitionFile}`);
          try {
            await putObjectFile(options.s3!(), out.bucket, key, file, {
              condition,
              ...(options.policy ? { policy: options.policy } : {}),
              ...(options.counter ? { counter: options.counter } : {}),
            });
          } catch (err) {
            if (isPreconditionFailed(err)) {
              throw new ConflictError(
                `partition ${target} was changed by another writer while this run merged it; nothing of it was overwritten. Re-run to merge again.`,
              );
            }
            throw err instanceof RtlakeError
              ? err
              : describeS3Error(err, 'upload', target, options.endpoint, 'write');
          }
        }
        reporter.progress(++done, toPublish);
      }
      partitions.push(result);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { partitions, rowsAlreadyInLake: Number(already[0]?.rows ?? 0) };
}
