import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { joinKey, type Location } from '../location.js';
import type { RetryCounter, RetryPolicy } from '../retry.js';
import { listObjects } from '../s3/listObjects.js';
import { downloadObject } from '../s3/objectFiles.js';
import { describeS3Error } from '../s3/s3Errors.js';
import type { Reporter } from './reporter.js';
import { partitionFile, tableDir } from './writeLake.js';

/** One day partition of a lake: exactly one `data.parquet` under year=/month=/day=. */
export interface LakePartition {
  year: number;
  month: number;
  day: number;
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  /** Path relative to the lake root: vehicle_positions/year=Y/month=M/day=D/data.parquet. */
  rel: string;
  /** Where it lives: a local path or an s3:// URI. */
  uri: string;
  size: number;
  /** S3 ETag (S3 lakes only), to know when a local copy is stale. */
  etag?: string;
  /** A local file DuckDB can read: the file itself, or its synced copy for an S3 lake. */
  localPath?: string;
}

export interface LakeAccess {
  s3?: () => S3Client;
  endpoint?: string;
  policy?: RetryPolicy;
  counter?: RetryCounter;
}

const partitionRel = /^vehicle_positions\/year=(\d{1,4})\/month=(\d{1,2})\/day=(\d{1,2})\/data\.parquet$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function partitionDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function parseRel(rel: string): Pick<LakePartition, 'year' | 'month' | 'day' | 'date' | 'rel'> | null {
  const m = partitionRel.exec(rel);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { year, month, day, date: partitionDate(year, month, day), rel };
}

/** Sub-folders named `<name>=<integer>` of a local folder. */
async function hiveDirs(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && new RegExp(`^${name}=\\d+$`).test(e.name))
    .map((e) => e.name);
}

/**
 * Every day partition of the lake that `ingest --out` wrote at this location, oldest first. Other
 * objects (staging leftovers, files a person dropped there) are ignored. An empty list means the
 * lake has no data yet; a local lake folder that does not exist is a usage error.
 */
export async function listLakePartitions(lake: Location, access: LakeAccess = {}): Promise<LakePartition[]> {
  const found: LakePartition[] = [];
  if (lake.kind === 'local') {
    if (
      !(await stat(lake.path).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    ) {
      throw new UsageError(
        `--lake folder ${lake.uri} does not exist (give the folder that ingest --out wrote)`,
      );
    }
    const root = join(lake.path, tableDir);
    for (const y of await hiveDirs(root, 'year')) {
      for (const m of await hiveDirs(join(root, y), 'month')) {
        for (const d of await hiveDirs(join(root, y, m), 'day')) {
          const parsed = parseRel(`${tableDir}/${y}/${m}/${d}/${partitionFile}`);
          const path = join(lake.path, tableDir, y, m, d, partitionFile);
          const info = await stat(path).catch(() => null);
          if (parsed && info?.isFile())
            found.push({ ...parsed, uri: path, size: info.size, localPath: path });
        }
      }
    }
  } else {
    const base = joinKey(lake.prefix, '');
    const prefix = joinKey(lake.prefix, `${tableDir}/`);
    const objects = await listObjects(access.s3!(), lake.bucket, prefix, {
      ...(access.policy ? { policy: access.policy } : {}),
      ...(access.counter ? { counter: access.counter } : {}),
      ...(access.endpoint ? { endpoint: access.endpoint } : {}),
    });
    for (const o of objects) {
      const parsed = parseRel(o.key.slice(base.length));
      if (parsed) found.push({ ...parsed, uri: `s3://${lake.bucket}/${o.key}`, size: o.size, etag: o.etag });
    }
  }
  return found.sort((a, b) => a.year - b.year || a.month - b.month || a.day - b.day);
}

/** Where an S3 lake's partitions are copied for reading: one folder per endpoint, bucket and prefix. */
export function lakeCopyDir(
  cacheDir: string,
  lake: Extract<Location, { kind: 's3' }>,
  endpoint?: string,
): string {
  const id = createHash('sha256')
    .update(`${endpoint ?? 'aws'}\n${lake.bucket}\n${lake.prefix}`)
    .digest('hex')
    .slice(0, 16);
  return join(cacheDir, 'lake-copies', id);
}

export interface SyncOptions extends LakeAccess {
  concurrency: number;
  reporter: Reporter;
  /** Delete copied partitions that are no longer in the lake (a mirror, for a DuckDB catalog). */
  prune?: boolean;
}

export interface SyncResult {
  partitions: LakePartition[];
  downloaded: number;
  reused: number;
  removed: number;
  bytes_downloaded: number;
}

const manifestName = '.rtlake-copy.json';

/**
 * Makes each partition readable from a local file. Local lakes are read in place. For an S3 lake
 * the objects are downloaded under `dir` in the lake's own layout (so hive partitioning still
 * works), skipping those whose ETag matches the copy already there (DuckDB here has no httpfs).
 */
export async function syncLakeCopy(
  partitions: LakePartition[],
  dir: string,
  options: SyncOptions,
): Promise<SyncResult> {
  const result: SyncResult = { partitions: [], downloaded: 0, reused: 0, removed: 0, bytes_downloaded: 0 };
  if (partitions.every((p) => p.localPath)) return { ...result, partitions };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const manifestPath = join(dir, manifestName);
  const manifest: Record<string, string> = JSON.parse(await readFile(manifestPath, 'utf8').catch(() => '{}'));
  const next: Record<string, string> = options.prune ? {} : { ...manifest };
  options.reporter.stage('copying lake partitions', partitions.length);
  let done = 0;
  const queue = [...partitions];
  const copied: (LakePartition | null)[] = new Array(partitions.length).fill(null);
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const index = partitions.indexOf(p);
      const file = join(dir, p.rel);
      const fresh =
        manifest[p.rel] !== undefined &&
        manifest[p.rel] === p.etag &&
        (await stat(file).then(
          (s) => s.isFile(),
          () => false,
        ));
      if (fresh) {
        result.reused++;
      } else {
        const { bucket, key } = splitUri(p.uri);
        await mkdir(dirname(file), { recursive: true });
        let etag: string | null;
        try {
          etag = await downloadObject(options.s3!(), bucket, key, file, {
            ...(options.policy ? { policy: options.policy } : {}),
            ...(options.counter ? { counter: options.counter } : {}),
          });
        } catch (err) {
          throw describeS3Error(err, 'reading the lake partition', p.uri, options.endpoint);
        }
        if (etag === null) {
          options.reporter.warn(`${p.uri} disappeared while the lake was being read; that day is left out`);
          continue;
        }
        result.downloaded++;
        result.bytes_downloaded += p.size;
        p = { ...p, etag };
      }
      next[p.rel] = p.etag ?? '';
      copied[index] = { ...p, localPath: file };
      options.reporter.progress(++done, partitions.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, partitions.length)) }, worker),
  );
  if (options.prune) {
    for (const rel of Object.keys(manifest)) {
      if (next[rel] === undefined && parseRel(rel)) {
        await rm(join(dir, rel), { force: true });
        result.removed++;
      }
    }
  }
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(next, null, 1), { mode: 0o600 });
  await rename(tmp, manifestPath);
  result.partitions = copied.filter((p): p is LakePartition => p !== null);
  return result;
}

function splitUri(uri: string): { bucket: string; key: string } {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}
