import PQueue from 'p-queue';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NoInputError, UsageError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Reporter } from './reporter.js';
import { partitionDate } from './lakeLayout.js';
import { lakeTableNames, type LakeTableName } from './lakeTables.js';

/** One day partition of a lake: exactly one `data.parquet` under year=/month=/day=. */
export interface LakePartition {
  /** The table whose folder holds it. */
  table: LakeTableName;
  year: number;
  month: number;
  day: number;
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  /** Path relative to the lake root: <table>/year=Y/month=M/day=D/data.parquet. */
  rel: string;
  /** Where it lives: a local path or an s3:// URI. */
  uri: string;
  size: number;
  /** S3 ETag (S3 lakes only), to know when a local copy is stale. */
  etag?: string;
  /** A local file DuckDB can read: the file itself, or its synced copy for an S3 lake. */
  localPath?: string;
}

const partitionRel = new RegExp(
  `^(${lakeTableNames.join('|')})/year=(\\d{1,4})/month=(\\d{1,2})/day=(\\d{1,2})/data\\.parquet$`,
);

function parseRel(
  rel: string,
): Pick<LakePartition, 'table' | 'year' | 'month' | 'day' | 'date' | 'rel'> | null {
  const m = partitionRel.exec(rel);
  if (!m) return null;
  const [year, month, day] = [Number(m[2]), Number(m[3]), Number(m[4])];
  return { table: m[1] as LakeTableName, year, month, day, date: partitionDate(year, month, day), rel };
}

/**
 * Every day partition of one table of the lake that `ingest --out` wrote at this location, oldest
 * first. Other objects (staging leftovers, files a person dropped there) are ignored. An empty list
 * means the table has no data yet; a lake folder that does not exist is a usage error.
 */
export async function listLakePartitions(
  lake: Store,
  table: LakeTableName = 'vehicle_positions',
): Promise<LakePartition[]> {
  return (await listLakeTables(lake, [table]))[table];
}

/** listLakePartitions for several tables at once: the root is probed once, each folder listed. */
export async function listLakeTables<T extends LakeTableName>(
  lake: Store,
  tables: readonly T[],
): Promise<Record<T, LakePartition[]>> {
  if ((await lake.probeRoot()) !== 'folder') {
    throw new UsageError(
      `--lake folder ${lake.uri} does not exist (give the folder that ingest --out wrote)`,
    );
  }
  const result = {} as Record<T, LakePartition[]>;
  for (const table of tables) result[table] = await listTableFolder(lake, table);
  return result;
}

async function listTableFolder(lake: Store, table: LakeTableName): Promise<LakePartition[]> {
  const found: LakePartition[] = [];
  for (const o of await lake.list({ under: `${table}/` })) {
    const parsed = parseRel(o.rel);
    if (parsed && parsed.table === table)
      found.push({
        ...parsed,
        uri: o.uri,
        size: o.size,
        ...(o.etag ? { etag: o.etag } : {}),
        ...(o.path ? { localPath: o.path } : {}),
      });
  }
  return found.sort((a, b) => a.year - b.year || a.month - b.month || a.day - b.day);
}

/** Where an S3 lake's partitions are copied for reading: one folder per endpoint, bucket and prefix. */
export function lakeCopyDir(cacheDir: string, lake: Store): string {
  const id = createHash('sha256').update(lake.id).digest('hex').slice(0, 16);
  return join(cacheDir, 'lake-copies', id);
}

export interface SyncOptions {
  lake: Store;
  concurrency: number;
  reporter: Reporter;
  /** Delete copied partitions that are no longer in the lake (a mirror, for a DuckDB catalog). */
  prune?: boolean;
  /** The tables this sync mirrors (default: all): pruning never touches the copies of others. */
  tables?: readonly LakeTableName[];
}

export interface SyncResult {
  partitions: LakePartition[];
  downloaded: number;
  reused: number;
  removed: number;
  bytes_downloaded: number;
  /** False when the partitions were local files already, read in place. */
  copied: boolean;
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
  const result: SyncResult = {
    partitions: [],
    downloaded: 0,
    reused: 0,
    removed: 0,
    bytes_downloaded: 0,
    copied: true,
  };
  if (partitions.every((p) => p.localPath)) return { ...result, partitions, copied: false };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const manifestPath = join(dir, manifestName);
  const manifest: Record<string, string> = JSON.parse(await readFile(manifestPath, 'utf8').catch(() => '{}'));
  const mirrored = (rel: string) => {
    const parsed = parseRel(rel);
    return parsed !== null && (options.tables ?? lakeTableNames).includes(parsed.table);
  };
  const next: Record<string, string> = options.prune
    ? Object.fromEntries(Object.entries(manifest).filter(([rel]) => !mirrored(rel)))
    : { ...manifest };
  options.reporter.stage('copying lake partitions', partitions.length);
  let done = 0;
  const copied: (LakePartition | null)[] = new Array(partitions.length).fill(null);
  const copyOne = async (p: LakePartition, index: number) => {
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
      await mkdir(dirname(file), { recursive: true });
      const etag = (await options.lake.copyToFile(p.rel, file))?.version;
      if (etag === undefined) {
        options.reporter.warn(`${p.uri} disappeared while the lake was being read; that day is left out`);
        return;
      }
      result.downloaded++;
      result.bytes_downloaded += p.size;
      p = { ...p, etag };
    }
    next[p.rel] = p.etag ?? '';
    copied[index] = { ...p, localPath: file };
    options.reporter.progress(++done, partitions.length);
  };
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  await Promise.all(partitions.map((p, index) => queue.add(() => copyOne(p, index))));
  if (options.prune) {
    for (const rel of Object.keys(manifest)) {
      if (next[rel] === undefined && mirrored(rel)) {
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

/**
 * Of the tables asked for, those the lake holds partitions of (for `--feed all`: every table the
 * lake has). None at all: nothing to do (exit 3).
 */
export async function lakeTablesPresent(
  lake: Store,
  tables: readonly LakeTableName[],
): Promise<{ present: LakeTableName[]; absent: LakeTableName[] }> {
  const listed = await listLakeTables(lake, tables);
  const present = tables.filter((t) => listed[t].length > 0);
  if (present.length === 0)
    throw new NoInputError(
      `the lake ${lake.uri} has no partitions under ${tables.map((t) => `${t}/`).join(', ')} yet; run rtlake ingest --out ${lake.uri} first`,
    );
  return { present, absent: tables.filter((t) => !present.includes(t)) };
}
