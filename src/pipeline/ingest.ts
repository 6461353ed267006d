import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartialFailureError, ResourceError, isOutOfResources, oneLine } from '../errors.js';
import { CacheIndex } from '../store/cacheIndex.js';
import type { FetchCache, Store } from '../store/store.js';
import { openDatabase, type Database } from '../db/openDatabase.js';
import { readSqlFile } from '../db/runSqlFile.js';
import { sqlIdent } from '../db/sqlText.js';
import { describeRule, exactColumns, type DedupeRule } from './dedupeRule.js';
import { fetchInput, type ReadyFile } from './fetchInputs.js';
import { listInputs, type InputObject } from './listInputs.js';
import { daySources, formatDay, type Day } from './dayMode.js';
import { createLoadTables, finishKeptRows, loadBatch, type BatchTarget } from './loadBatch.js';
import type { Reporter } from './reporter.js';
import type { FailedKey, SkippedKey } from './skipReasons.js';
import { writeLake, type PartitionResult } from './writeLake.js';

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
}

export interface IngestOptions extends LoadOptions {
  out: Store;
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

export interface IngestSummary extends LoadSummary {
  out: string;
  /** Day mode: the day whose partition this run replaced. */
  date?: string;
  /** Day mode: rows of neighbouring days read from the window's files, left to those days' jobs. */
  rows_outside_day?: number;
  rows_written: number;
  rows_already_in_lake: number;
  partitions_written: number;
  partitions_unchanged: number;
  partitions: PartitionResult[];
  rows_per_second: number;
}

/** A loaded workspace: DuckDB holding `pings` for the run, and what loading it found. */
export interface LoadedRun {
  db: Database;
  workDir: string;
  summary: LoadSummary;
  /** Day mode: valid rows of other days, read but not kept (their days' jobs own them). */
  rowsOutsideDay: number;
  dispose(): Promise<void>;
}

/**
 * DuckDB's share of memory by default; beyond it work spills to the run's private work folder. On a
 * 30,000-file day the whole process peaked at 780–905 MB (folder) and 923–1,001 MB (S3) with it:
 * DuckDB's JSON and Parquet buffers, Node and the SDK come on top. One batch (2,000 files) is in
 * DuckDB at a time; the batches' winners wait on disk.
 */
export const defaultMemoryLimit = '448MB';

const now = () => performance.now();
const secondsSince = (t: number) => Math.round((now() - t) / 10) / 100;

/**
 * Lists the sources, fetches (S3) or checks (folders) every matching key with bounded
 * concurrency, and loads the files into DuckDB in batches while fetching goes on, so download
 * and parsing overlap. Every key ends up loaded, skipped (with a reason) or failed.
 */
export async function loadArchive(options: LoadOptions): Promise<LoadedRun> {
  const started = now();
  const { reporter } = options;
  const retriesBefore = options.sources.reduce((n, s) => Math.max(n, s.retries), 0);
  const workDir = await mkdtemp(join(tmpdir(), 'rtlake-'));
  // In memory, spilling to the private work folder beyond the memory limit: a database file would
  // write (and, on close, checkpoint) every loaded row to disk for nothing.
  const db = await openDatabase({
    tempDirectory: join(workDir, 'spill'),
    memoryLimit: options.memoryLimit ?? defaultMemoryLimit,
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const dispose = async () => {
    try {
      db.close();
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
  try {
    await createLoadTables(db.connection);
    const cache: FetchCache = { dir: options.cacheDir, workDir, index: new CacheIndex() };
    const skipped: SkippedKey[] = [];
    const failed: FailedKey[] = [];
    let loaded = 0;
    let rows = 0;
    let missingVehicle = 0;
    let missingTimestamp = 0;
    let outsideDay = 0;
    let otherEntities = 0;
    let bytes = 0;
    let accounted = 0;
    let total: number | undefined;
    const progress = () => {
      if (total !== undefined) reporter.progress(accounted, total);
    };

    // The listing feeds `queue` page by page, so fetching starts with the first page; fetchers
    // fill `ready`; the loader drains it in batches. DuckDB parses on its own threads, so listing
    // and fetching go on while a batch is parsed.
    const queue: InputObject[] = [];
    let listingDone = false;
    const inputWaiters: (() => void)[] = [];
    const notifyInputs = () => {
      for (const w of inputWaiters.splice(0)) w();
    };
    let listSeconds = 0;
    const listingRun = listInputs(options.sources, options.glob, {
      reporter,
      ...(options.day
        ? { day: daySources(options.sources, options.day.day, options.day.layout, options.day.windowSeconds) }
        : {}),
      onInput: (input) => {
        queue.push(input);
        notifyInputs();
      },
    })
      .then((listing) => {
        listSeconds = secondsSince(started);
        skipped.push(...listing.duplicateKeys);
        accounted += listing.duplicateKeys.length;
        total = listing.inputs.length + listing.duplicateKeys.length;
        reporter.stage(options.sources.some((s) => s.remote) ? 'fetching and loading' : 'loading', total);
        progress();
        return listing;
      })
      .finally(() => {
        listingDone = true;
        notifyInputs();
      });
    const loadStarted = now();

    const ready: ReadyFile[] = [];
    let fetchersDone = false;
    let wake: (() => void) | null = null;
    const signal = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const batchFiles = options.batchFiles ?? 2000;
    // Until the fetchers are done, a batch waits for at least a quarter of its files: small batches
    // keep fewer duplicates together and pay the per-batch costs more often.
    const minBatch = Math.max(1, Math.floor(batchFiles / 4));
    let keptCount = 0;
    const keptFiles: string[] = [];
    const target: BatchTarget = {
      maxObjectSize: options.maxObjectSize,
      keep: options.everyRow
        ? 'all'
        : {
            rule: options.rule,
            ...(options.day ? { day: options.day.day } : {}),
            nextFile: () => join(workDir, `kept-${++keptCount}.parquet`),
          },
    };
    const concurrency = Math.max(1, options.concurrency);

    const fetchOne = (input: InputObject) => fetchInput(input, cache, options.maxObjectSize);

    let next = 0;
    let fatal: unknown = null;
    const worker = async () => {
      while (fatal === null) {
        if (next >= queue.length) {
          if (listingDone) return;
          await new Promise<void>((resolve) => inputWaiters.push(resolve));
          continue;
        }
        const input = queue[next++]!;
        try {
          const outcome = await fetchOne(input);
          if (outcome.kind === 'ready') {
            ready.push(outcome.file);
            if (ready.length >= batchFiles) signal();
          } else {
            if (outcome.kind === 'skipped') skipped.push(outcome.skipped);
            else failed.push(outcome.failed);
            accounted++;
            progress();
          }
        } catch (err) {
          fatal ??= err;
        }
      }
    };
    const fetchers = Promise.all(Array.from({ length: concurrency }, worker)).finally(() => {
      fetchersDone = true;
      signal();
    });

    const loader = async () => {
      for (;;) {
        if (fatal !== null) return;
        if (ready.length === 0 && fetchersDone) return;
        if (ready.length < batchFiles && !fetchersDone) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 250);
          });
          if (ready.length < minBatch && !fetchersDone) continue;
          if (ready.length === 0) continue;
        }
        const batch = ready.splice(0, batchFiles);
        const result = await loadBatch(db.connection, batch, target);
        loaded += result.loaded;
        rows += result.rows;
        missingVehicle += result.missingVehicleId;
        missingTimestamp += result.missingTimestamp;
        outsideDay += result.outsideDay;
        keptFiles.push(...result.keptFiles);
        otherEntities += result.otherEntities;
        skipped.push(...result.skipped);
        bytes += batch.reduce((sum, f) => sum + f.bytes, 0);
        accounted += batch.length;
        progress();
      }
    };
    const [listed, fetched, drained] = await Promise.allSettled([listingRun, fetchers, loader()]);
    if (listed.status === 'rejected') throw listed.reason;
    if (fetched.status === 'rejected') throw fetched.reason;
    if (drained.status === 'rejected') throw drained.reason;
    if (fatal !== null) throw fatal;
    const listing = listed.value;

    if (!options.everyRow) await finishKeptRows(db.connection, keptFiles);
    const stats = (
      await readSqlFile(db.connection, '25_run_stats', {
        input: sqlIdent(options.everyRow ? 'pings' : 'run_pings'),
        exact_columns: exactColumns(options.rule),
      })
    )[0]!;
    skipped.sort((a, b) => a.key.localeCompare(b.key));
    failed.sort((a, b) => a.key.localeCompare(b.key));
    const summary: LoadSummary = {
      sources: options.sources.map((s) => s.uri),
      glob: options.glob,
      dedupe: { grain: options.rule.grain, keep: options.rule.keep, rule: describeRule(options.rule) },
      keys_listed: listing.inputs.length + listing.duplicateKeys.length,
      keys_ignored_by_glob: listing.ignoredByGlob,
      keys_loaded: loaded,
      keys_skipped: skipped.length,
      keys_failed: failed.length,
      skipped,
      failed,
      bytes_read: bytes,
      rows_read: rows,
      rows_rejected: missingVehicle + missingTimestamp,
      rows_rejected_by_reason: { missing_vehicle_id: missingVehicle, missing_timestamp: missingTimestamp },
      entities_without_vehicle: otherEntities,
      duplicates_dropped: rows - missingVehicle - missingTimestamp - outsideDay - Number(stats.rows_kept),
      retries: options.sources.reduce((n, s) => Math.max(n, s.retries), 0) - retriesBefore,
      seconds: { list: listSeconds, load: secondsSince(loadStarted), total: secondsSince(started) },
    };
    return { db, workDir, summary, rowsOutsideDay: outsideDay, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The whole job: load the archive, then merge it into the lake's day partitions. */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  try {
    return await ingestOnce(options);
  } catch (err) {
    if (isOutOfResources(err)) {
      throw new ResourceError(
        `DuckDB ran out of memory or spill space within --memory-limit ${options.memoryLimit ?? defaultMemoryLimit} (${oneLine(err).slice(0, 160)}); raise --memory-limit, lower --threads, or free disk under ${tmpdir()}`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function ingestOnce(options: IngestOptions): Promise<IngestSummary> {
  const started = now();
  const unlock = await options.out.lockForWriting();
  try {
    const run = await loadArchive(options);
    try {
      const s = run.summary;
      if (s.keys_failed > 0 || (options.strict && s.keys_skipped > 0)) {
        const why =
          s.keys_failed > 0
            ? `${s.keys_failed} of ${s.keys_listed} keys failed (first: ${s.failed[0]!.key}: ${s.failed[0]!.error})`
            : `--strict: ${s.keys_skipped} of ${s.keys_listed} keys were skipped (first: ${s.skipped[0]!.key}: ${s.skipped[0]!.reason})`;
        throw new PartialFailureError(`${why}; nothing was written. Re-run to retry.`, {
          ...s,
          out: options.out.uri,
        });
      }
      const retriesBefore = options.out.retries;
      const written = await writeLake(run.db.connection, {
        out: options.out,
        rule: options.rule,
        workDir: run.workDir,
        reporter: options.reporter,
        ...(options.day ? { day: options.day.day } : {}),
      });
      const total = (now() - started) / 1000;
      return {
        ...s,
        retries: s.retries + options.out.retries - retriesBefore,
        out: options.out.uri,
        ...(options.day ? { date: formatDay(options.day.day), rows_outside_day: run.rowsOutsideDay } : {}),
        rows_written: written.partitions
          .filter((p) => p.status === 'written')
          .reduce((n, p) => n + p.rows, 0),
        rows_already_in_lake: written.rowsAlreadyInLake,
        partitions_written: written.partitions.filter((p) => p.status === 'written').length,
        partitions_unchanged: written.partitions.filter((p) => p.status === 'unchanged').length,
        partitions: written.partitions,
        seconds: { ...s.seconds, total: Math.round(total * 100) / 100 },
        rows_per_second: total > 0 ? Math.round(s.rows_read / total) : 0,
      };
    } finally {
      await run.dispose();
    }
  } finally {
    await unlock();
  }
}
