import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../db/openDatabase.js';
import { readSqlFile } from '../../db/runSqlFile.js';
import { sqlIdent } from '../../db/sqlText.js';
import { CacheIndex } from '../../store/cacheIndex.js';
import type { Store } from '../../store/store.js';
import { daySources, type Day } from '../dayMode.js';
import { describeRule, grainColumns, type DedupeRule } from '../dedupeRule.js';
import type { Reporter } from '../reporter.js';
import type { FailedKey, SkippedKey } from '../skipReasons.js';
import { DecoderPool } from '../../feeds/decoderPool.js';
import type { CopyRule } from '../../feeds/runCopies.js';
import type { FeedKind } from '../../feeds/feedKinds.js';
import type { FeedInfos } from '../../feeds/feedLoadInfo.js';
import { createFeedTables } from '../../feeds/feedTables.js';
import { vehiclePositions, type FeedTable } from './feedTable.js';
import { createLoadTables, finishKeptRows, type BatchTarget } from './loadBatch.js';
import { streamArchive, type StreamResult } from './streamArchive.js';

export interface LoadOptions {
  sources: Store[];
  glob: string;
  rule: DedupeRule;
  concurrency: number;
  cacheDir: string;
  maxObjectSize: number;
  /** Any skipped key fails the run before anything is written. */
  strict: boolean;
  reporter: Reporter;
  /** Files per DuckDB read_json statement. */
  batchFiles?: number;
  /** DuckDB memory_limit for the run (spills to a private temp folder beyond it). */
  memoryLimit?: string;
  threads?: number;
  /** Day mode: only this UTC day's files (plus the neighbours' within the window). */
  day?: { day: Day; layout: string; windowSeconds: number };
  /**
   * Keep every row read in pings (dedupe reports and the workbench show every copy of a ping).
   * Otherwise (ingest) each batch keeps only the rows the rule can still keep, and in day mode
   * only the day's rows: the same result at a quarter of the rows.
   */
  everyRow?: boolean;
  /** Stops the run: DuckDB is interrupted, requests aborted, the work folder removed. */
  signal?: AbortSignal;
  /** The table the files feed (default vehicle_positions). */
  table?: FeedTable;
  /** The tables built (--feed; default vehicle_positions alone). */
  feeds?: readonly FeedKind[];
  /** Worker threads decoding protobuf feeds (default 1; 0 decodes on the main thread). */
  decoderThreads?: number;
}

export interface LoadSummary {
  sources: string[];
  glob: string;
  dedupe: { grain: DedupeRule['grain']; keep: DedupeRule['keep']; rule: string };
  keys_listed: number;
  keys_ignored_by_glob: number;
  keys_loaded: number;
  keys_skipped: number;
  keys_failed: number;
  skipped: SkippedKey[];
  failed: FailedKey[];
  bytes_read: number;
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: { missing_vehicle_id: number; missing_timestamp: number };
  entities_without_vehicle: number;
  duplicates_dropped: number;
  retries: number;
  seconds: { list: number; load: number; total: number };
}

/** A loaded workspace: DuckDB holding `pings` for the run, and what loading it found. */
export interface LoadedRun {
  db: Database;
  workDir: string;
  summary: LoadSummary;
  /** Day mode: valid rows of other days, read but not kept (their days' jobs own them). */
  rowsOutsideDay: number;
  /** What loading found for trip_updates and alerts, when selected. */
  feeds: FeedInfos;
  dispose(): Promise<void>;
}

/**
 * DuckDB's share of memory by default; beyond it work spills to the run's private work folder.
 * The whole process peaks well above it: DuckDB's JSON and Parquet buffers, Node and the SDK come
 * on top. On the bench's 30,000-file day from a folder (issue 15, session 5, one run each, same
 * quarter hour): 981 MB with 448MB, 1,020 MB with 384MB, 853 MB with 320MB, in 46.6, 43.2 and
 * 44.8 s; 1,500 files took the same time with 320MB as with 448MB (2.37 against 2.41 s, 5 runs
 * each). One batch (2,000 files) is in DuckDB at a time, at most one more is fetched; the batches'
 * winners wait on disk, the last batch's in DuckDB.
 */
export const defaultMemoryLimit = '320MB';

const secondsSince = (t: number) => Math.round((performance.now() - t) / 10) / 100;

/** A private work folder and an in-memory DuckDB spilling into it; dispose() removes both. */
async function openWorkspaceDb(
  options: LoadOptions,
): Promise<{ db: Database; workDir: string; dispose(): Promise<void> }> {
  const workDir = await mkdtemp(join(tmpdir(), 'rtlake-'));
  // In memory, spilling to the private work folder beyond the memory limit: a database file would
  // write (and, on close, checkpoint) every loaded row to disk for nothing.
  const db = await openDatabase({
    tempDirectory: join(workDir, 'spill'),
    memoryLimit: options.memoryLimit ?? defaultMemoryLimit,
    ...(options.threads ? { threads: options.threads } : {}),
  }).catch(async (err: unknown) => {
    await rm(workDir, { recursive: true, force: true });
    throw err;
  });
  const interrupt = () => db.connection.interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const dispose = async () => {
    options.signal?.removeEventListener('abort', interrupt);
    try {
      db.close();
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
  return { db, workDir, dispose };
}

/**
 * The load stages: list the sources, fetch (S3) or check (folders) every matching key, and load
 * the files into DuckDB in batches while fetching goes on (streamArchive). Every key ends up
 * loaded, skipped (with a reason) or failed.
 */
export async function loadArchive(options: LoadOptions): Promise<LoadedRun> {
  const started = performance.now();
  // Every store of a run shares one retry counter (makeStorage): the first source's is the run's.
  const retriesBefore = options.sources[0]?.retries ?? 0;
  const { db, workDir, dispose } = await openWorkspaceDb(options);
  try {
    const table = options.table ?? vehiclePositions;
    await createLoadTables(db.connection, table);
    const feeds = options.feeds ?? ['vehicle_positions'];
    if (feeds.some((f) => f !== 'vehicle_positions')) await createFeedTables(db.connection);
    let kept = 0;
    const emptyFile = join(workDir, 'empty.json');
    await writeFile(emptyFile, '', { mode: 0o600 });
    const target: BatchTarget = {
      table,
      feeds,
      maxObjectSize: options.maxObjectSize,
      emptyFile,
      keep: options.everyRow
        ? 'all'
        : {
            rule: options.rule,
            ...(options.day ? { day: options.day.day } : {}),
            nextFile: () => join(workDir, `kept-${++kept}.parquet`),
          },
    };
    // Ingest's rule goes to the decoder, which leaves out copies the batch would drop (RunCopies).
    const decoder = new DecoderPool(
      options.decoderThreads,
      undefined,
      options.everyRow ? undefined : copyRule(options.rule, options.day?.day),
    );
    const streamed = await streamArchive(db, {
      decoder,
      sources: options.sources,
      glob: options.glob,
      ...(options.day
        ? { day: daySources(options.sources, options.day.day, options.day.layout, options.day.windowSeconds) }
        : {}),
      cache: { dir: options.cacheDir, workDir, index: new CacheIndex() },
      target,
      concurrency: options.concurrency,
      batchFiles: options.batchFiles ?? 2000,
      reporter: options.reporter,
      ...(options.signal ? { signal: options.signal } : {}),
    }).finally(() => decoder.close());
    if (!options.everyRow) await finishKeptRows(db.connection, table, streamed.info.keptFiles);
    const [stats] = await readSqlFile(db.connection, 'ingest/08_distinct_pings', {
      input: sqlIdent(options.everyRow ? 'pings' : 'run_pings'),
      grain_columns: grainColumns(options.rule.grain),
    });
    const retries = (options.sources[0]?.retries ?? 0) - retriesBefore;
    const summary = loadSummary(options, streamed, Number(stats!.rows_kept), retries, started);
    return {
      db,
      workDir,
      summary,
      rowsOutsideDay: streamed.info.outsideDay,
      feeds: streamed.info.feeds,
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The rule as the decoder applies it: which copy is kept, and the UTC day as days since 1970. */
function copyRule(rule: DedupeRule, day?: Day): CopyRule {
  return {
    keep: rule.keep,
    ...(day ? { day: Date.UTC(day.year, day.month - 1, day.day) / 86_400_000 } : {}),
  };
}

/** The load stages' infos, summed into the summary's keys. */
function loadSummary(
  options: LoadOptions,
  { listing, info, listSeconds, loadSeconds }: StreamResult,
  rowsKept: number,
  retries: number,
  started: number,
): LoadSummary {
  const rejected = info.missingVehicleId + info.missingTimestamp;
  const total = secondsSince(started);
  return {
    sources: options.sources.map((s) => s.uri),
    glob: options.glob,
    dedupe: { grain: options.rule.grain, keep: options.rule.keep, rule: describeRule(options.rule) },
    keys_listed: listing.inputs.length + listing.duplicateKeys.length,
    keys_ignored_by_glob: listing.ignoredByGlob,
    keys_loaded: info.loaded,
    keys_skipped: info.skipped.length,
    keys_failed: info.failed.length,
    skipped: info.skipped.sort((a, b) => a.key.localeCompare(b.key)),
    failed: info.failed.sort((a, b) => a.key.localeCompare(b.key)),
    bytes_read: info.bytes,
    rows_read: info.rows,
    rows_rejected: rejected,
    rows_rejected_by_reason: {
      missing_vehicle_id: info.missingVehicleId,
      missing_timestamp: info.missingTimestamp,
    },
    entities_without_vehicle: info.otherEntities,
    duplicates_dropped: info.rows - rejected - info.outsideDay - rowsKept,
    retries,
    seconds: { list: listSeconds, load: loadSeconds, total },
  };
}
