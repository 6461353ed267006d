import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../../errors.js';
import { runSqlFile } from '../../db/runSqlFile.js';
import { sqlString } from '../../db/sqlText.js';
import type { Store } from '../../store/store.js';
import { partitionFile } from '../lakeLayout.js';
import type { Reporter } from '../reporter.js';
import type { LakeTable } from './feedTable.js';
import type { MergeInfo, PartitionChange } from './mergeLake.js';

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

export interface WriteInfo {
  partitions: PartitionResult[];
}

/**
 * Writes each changed partition of the table as one new Parquet file and publishes it over the old one in one
 * step (rename in a folder; one PUT on S3, guarded by If-Match / If-None-Match). A partition whose
 * rows would not change is left untouched.
 */
export async function writePartitions(
  connection: DuckDBConnection,
  table: LakeTable,
  merge: MergeInfo,
  options: {
    out: Store;
    workDir: string;
    reporter: Reporter;
    signal?: AbortSignal;
    /** Whether to probe the store for conditional writes and warn when it ignores them (once a run). */
    probeConditionalWrites?: boolean;
  },
): Promise<WriteInfo> {
  const { out, reporter } = options;
  const changed = merge.partitions.filter((p) => p.changed);
  const staging = out.stagingFolder(options.workDir);
  try {
    if (changed.length > 0) {
      reporter.stage('writing parquet');
      await mkdir(staging, { recursive: true, mode: 0o700 });
      await runSqlFile(connection, table.sql.write, { staging: sqlString(staging) });
      if (options.probeConditionalWrites !== false && !(await out.honoursConditionalWrites())) {
        reporter.warn(
          `the S3 store ignores conditional writes (If-Match / If-None-Match), so a concurrent run writing the same partitions could overwrite this one's rows; run one writer per partition at a time`,
        );
      }
    }
    reporter.stage(out.remote ? 'uploading partitions' : 'publishing partitions', changed.length);
    for (const [done, p] of changed.entries()) {
      options.signal?.throwIfAborted(); // partitions already published stay: each is whole
      await out.publish(await stagedFile(staging, p), `${p.rel}/${partitionFile}`, {
        replacing: p.version,
        what: 'partition',
      });
      reporter.progress(done + 1, changed.length);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { partitions: merge.partitions.map((p) => partitionResult(p, out)) };
}

/** The one Parquet file DuckDB wrote for a partition under the staging folder. */
async function stagedFile(staging: string, p: PartitionChange): Promise<string> {
  const dir = join(staging, `year=${p.year}`, `month=${p.month}`, `day=${p.day}`);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet'));
  if (files.length !== 1)
    throw new OutputError(`internal: expected one Parquet file for ${p.rel}, DuckDB wrote ${files.length}`);
  return join(dir, files[0]!);
}

function partitionResult(p: PartitionChange, out: Store): PartitionResult {
  return {
    partition: `year=${p.year}/month=${p.month}/day=${p.day}`,
    year: p.year,
    month: p.month,
    day: p.day,
    path: out.uriOf(`${p.rel}/${partitionFile}`),
    rows: p.rows,
    rows_before: p.rowsBefore,
    status: p.changed ? 'written' : 'unchanged',
  };
}
