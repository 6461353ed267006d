import PQueue from 'p-queue';
import type { Database } from '../../db/openDatabase.js';
import type { DecoderPool } from '../../feeds/decoderPool.js';
import type { FetchCache, Store } from '../../store/store.js';
import type { DaySources } from '../dayMode.js';
import type { Reporter } from '../reporter.js';
import { fetchInput, type ReadyFile } from './fetchInput.js';
import { listInputs, type InputObject, type Listing } from './listInputs.js';
import { loadBatch, type BatchTarget } from './loadBatch.js';
import { addLoadInfo, emptyLoadInfo, type LoadInfo } from './loadInfo.js';

export interface StreamOptions {
  sources: Store[];
  glob: string;
  day?: DaySources;
  cache: FetchCache;
  /** Decodes protobuf feeds to enhanced JSON beside the fetch queue (src/feeds). */
  decoder: DecoderPool;
  target: BatchTarget;
  concurrency: number;
  batchFiles: number;
  reporter: Reporter;
  signal?: AbortSignal;
}

export interface StreamResult {
  listing: Listing;
  info: LoadInfo;
  /** Seconds from the start until the listing was complete, and until the last batch was loaded. */
  listSeconds: number;
  loadSeconds: number;
}

/**
 * List → fetch → load as one stream: the listing hands each kept key to the fetch queue as its page
 * arrives (bounded concurrency); fetched files collect into batches that one load queue feeds to
 * DuckDB, which parses on its own threads while fetching goes on. The first error (or the caller's
 * abort) stops the stream: nothing new starts, running requests are aborted, and it is thrown.
 */
export async function streamArchive(db: Database, options: StreamOptions): Promise<StreamResult> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const fetches = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const fail = (err: unknown) => {
    if (!signal.aborted) stop.abort(err);
    fetches.clear();
    batches.clear();
  };
  const batches = new BatchQueue(db, options, signal, fail);
  const onInput = (input: InputObject) =>
    void fetches.add(() => fetchOne(input, options, signal, batches)).catch(fail);
  let listing: Listing | undefined;
  let listSeconds = 0;
  try {
    listing = await listInputs(options.sources, options.glob, {
      reporter: options.reporter,
      signal,
      onInput,
      ...(options.day ? { day: options.day } : {}),
    });
    listSeconds = seconds();
    batches.listed(listing);
  } catch (err) {
    fail(err);
  }
  await fetches.onIdle();
  await batches.finish();
  if (signal.aborted) throw signal.reason;
  return { listing: listing!, info: batches.info, listSeconds, loadSeconds: seconds() };
}

async function fetchOne(
  input: InputObject,
  options: StreamOptions,
  signal: AbortSignal,
  batches: BatchQueue,
): Promise<void> {
  if (signal.aborted) return;
  const outcome = await fetchInput(
    input,
    options.cache,
    options.target.maxObjectSize,
    options.decoder,
    signal,
  );
  if (outcome.kind === 'ready') {
    options.reporter.fileFetched?.(input.key, outcome.file.bytes);
    batches.push(outcome.file);
  } else {
    batches.account(
      outcome.kind === 'skipped' ? { skipped: [outcome.skipped] } : { failed: [outcome.failed] },
      1,
    );
  }
}

/**
 * Fetched files waiting to be loaded, and the one queue that loads them a batch at a time. A batch
 * is full at `batchFiles`; while fetching goes on, an idle loader takes a quarter batch rather than
 * wait (small batches keep fewer duplicates together and pay the per-batch costs more often).
 */
class BatchQueue {
  readonly info = emptyLoadInfo();
  private readonly ready: ReadyFile[] = [];
  private readonly loads = new PQueue({ concurrency: 1 });
  private fetching = true;
  private accounted = 0;
  private total: number | undefined;
  private readonly minBatch: number;

  constructor(
    private readonly db: Database,
    private readonly options: StreamOptions,
    private readonly signal: AbortSignal,
    private readonly fail: (err: unknown) => void,
  ) {
    this.minBatch = Math.max(1, Math.floor(options.batchFiles / 4));
  }

  /** The listing is complete: the progress total is known. */
  listed(listing: Listing): void {
    this.total = listing.inputs.length + listing.duplicateKeys.length;
    this.options.reporter.stage(
      this.options.sources.some((s) => s.remote) ? 'fetching and loading' : 'loading',
      this.total,
    );
    this.account({ skipped: listing.duplicateKeys }, listing.duplicateKeys.length);
  }

  /** What `keys` keys came to: loaded, skipped or failed. */
  account(info: Partial<LoadInfo>, keys: number): void {
    addLoadInfo(this.info, info);
    this.accounted += keys;
    if (this.total !== undefined) this.options.reporter.progress(this.accounted, this.total);
  }

  push(file: ReadyFile): void {
    this.ready.push(file);
    this.schedule(false);
  }

  clear(): void {
    this.loads.clear();
    this.ready.length = 0;
  }

  /** Fetching is over: load what is left, and wait for the loader. */
  async finish(): Promise<void> {
    this.fetching = false;
    this.schedule(false);
    await this.loads.onIdle();
  }

  /** Starts a batch when one is full, or when the loader would otherwise sit idle. */
  private schedule(fromLoad: boolean): void {
    const idle = this.loads.size === 0 && (fromLoad || this.loads.pending === 0);
    const enough = this.ready.length >= (this.fetching ? this.minBatch : 1);
    if (this.signal.aborted || !(this.ready.length >= this.options.batchFiles || (idle && enough))) return;
    const batch = this.ready.splice(0, this.options.batchFiles);
    void this.loads.add(() => this.load(batch)).catch(this.fail);
  }

  private async load(batch: ReadyFile[]): Promise<void> {
    this.signal.throwIfAborted();
    const result = await loadBatch(this.db.connection, batch, this.options.target);
    this.options.reporter.filesLoaded?.(batch.map((f) => f.input.key));
    this.account(result, batch.length);
    this.schedule(true);
  }
}
