import { InterruptedError, PartialFailureError } from '../errors.js';
import type { Store } from '../store/store.js';
import { formatDay } from './dayMode.js';
import { loadArchive, type LoadOptions, type LoadSummary } from './ingest/loadArchive.js';
import { vehiclePositionsLake } from './ingest/feedTable.js';
import { mergeLake, type MergeInfo } from './ingest/mergeLake.js';
import { writePartitions, type PartitionResult, type WriteInfo } from './ingest/writePartitions.js';
import { feedTableSummaries, ingestFeedTables, type FeedTableSummary } from '../feeds/ingestFeedTables.js';

export interface IngestOptions extends LoadOptions {
  out: Store;
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
  /** Per table built (--feed): rows read, rejected, written and its partitions. */
  tables: Record<string, FeedTableSummary>;
}

/**
 * The whole job, stage after stage: list → fetch → load (loadArchive), then merge into the lake's
 * day partitions (mergeLake) and write the changed ones (writePartitions). The summary is the sum
 * of what each stage returned.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  try {
    return await ingestOnce(options);
  } catch (err) {
    if (options.signal?.aborted)
      throw new InterruptedError(
        'interrupted; every partition is whole, as it was or as this run wrote it: re-run to finish',
        { cause: err },
      );
    throw err;
  }
}

async function ingestOnce(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { out, reporter } = options;
  const retriesBefore = out.retries;
  const unlock = await out.lockForWriting();
  try {
    const run = await loadArchive(options);
    try {
      refuseIncomplete(run.summary, options);
      const { connection } = run.db;
      const feeds = options.feeds ?? ['vehicle_positions'];
      let merged: MergeInfo = { partitions: [], rowsAlreadyInLake: 0 };
      let written: WriteInfo = { partitions: [] };
      if (feeds.includes('vehicle_positions')) {
        const lake = vehiclePositionsLake(options.rule);
        merged = await mergeLake(connection, lake, {
          out,
          workDir: run.workDir,
          reporter,
          replace: options.day !== undefined,
        });
        written = await writePartitions(connection, lake, merged, {
          out,
          workDir: run.workDir,
          reporter,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      }
      const others = await ingestFeedTables(connection, run.feeds, {
        out,
        workDir: run.workDir,
        replace: options.day !== undefined,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const seconds = (performance.now() - started) / 1000;
      const summary = ingestSummary(options, run.summary, run.rowsOutsideDay, merged, written, {
        retries: out.retries - retriesBefore,
        seconds,
      });
      return { ...summary, tables: feedTableSummaries(feeds, summary, run.feeds, others, out) };
    } finally {
      await run.dispose();
    }
  } finally {
    await unlock();
  }
}

/** A failed key, or with --strict a skipped one, stops the run before anything is written. */
function refuseIncomplete(s: LoadSummary, options: IngestOptions): void {
  if (s.keys_failed === 0 && !(options.strict && s.keys_skipped > 0)) return;
  const why =
    s.keys_failed > 0
      ? `${s.keys_failed} of ${s.keys_listed} keys failed (first: ${s.failed[0]!.key}: ${s.failed[0]!.error})`
      : `--strict: ${s.keys_skipped} of ${s.keys_listed} keys were skipped (first: ${s.skipped[0]!.key}: ${s.skipped[0]!.reason})`;
  throw new PartialFailureError(`${why}; nothing was written. Re-run to retry.`, {
    ...s,
    out: options.out.uri,
  });
}

function ingestSummary(
  options: IngestOptions,
  load: LoadSummary,
  rowsOutsideDay: number,
  merged: MergeInfo,
  written: WriteInfo,
  run: { retries: number; seconds: number },
): Omit<IngestSummary, 'tables'> {
  const partitions = written.partitions;
  const writtenParts = partitions.filter((p) => p.status === 'written');
  return {
    ...load,
    retries: run.retries,
    out: options.out.uri,
    ...(options.day ? { date: formatDay(options.day.day), rows_outside_day: rowsOutsideDay } : {}),
    rows_written: writtenParts.reduce((n, p) => n + p.rows, 0),
    rows_already_in_lake: merged.rowsAlreadyInLake,
    partitions_written: writtenParts.length,
    partitions_unchanged: partitions.length - writtenParts.length,
    partitions,
    seconds: { ...load.seconds, total: Math.round(run.seconds * 100) / 100 },
    rows_per_second: run.seconds > 0 ? Math.round(load.rows_read / run.seconds) : 0,
  };
}
