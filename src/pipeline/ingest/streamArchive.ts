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
 * DuckDB, which parses on its own threads while fetching goes on. Fetching runs at most one batch
 * ahead of loading (FetchQueue), so the heap holds one batch's fetches, not the whole listing's. The
 * first error (or the caller's abort) stops the stream: nothing new starts, running requests are
 * aborted, and it is thrown.
 */
export async function streamArchive(db: Database, options: StreamOptions): Promise<StreamResult> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const fail = (err: unknown) => {
    if (!signal.aborted) stop.abort(err);
  };
  const remote = options.sources.some((s) => s.remote);
  const batches = new BatchQueue(db, options, signal, fail, remote, () => fetches.pump());
  const fetches: FetchQueue = new FetchQueue(
    Math.max(1, options.concurrency),
    // Fetched or being fetched, and not yet in a batch: at most one batch ahead of the loader (or
    // the concurrency, when batches are smaller: a one-file batch must not fetch one at a time).
    (): boolean => batches.waiting + fetches.inFlight >= Math.max(1, options.batchFiles, options.concurrency),
    (input) => fetchOne(input, options, signal, batches),
    fail,
  );
  // However the stream stops (an error here, or the caller's abort), nothing more is fetched: a
  // stopped loader takes no batch, so the queue would otherwise wait for it forever.
  const stopQueues = () => {
    fetches.clear();
    batches.clear();
  };
  signal.addEventListener('abort', stopQueues, { once: true });
  let listing: Listing | undefined;
  let listSeconds = 0;
  try {
    listing = await listInputs(options.sources, options.glob, {
      reporter: options.reporter,
      signal,
      onInput: (input) => fetches.add(input),
      ...(options.day ? { day: options.day } : {}),
    });
    listSeconds = seconds();
    batches.listed(listing);
  } catch (err) {
    fail(err);
  }
  await fetches.onIdle();
  await batches.finish();
  signal.removeEventListener('abort', stopQueues);
  if (signal.aborted) throw signal.reason;
  return { listing: listing!, info: batches.info, listSeconds, loadSeconds: seconds() };
}

/**
 * The listed keys waiting to be fetched, and the fetches running (at most `concurrency`). A fetch
 * starts only while `full()` is false, i.e. while the fetched files waiting for the loader are fewer
 * than a batch; `pump()` (after a batch is taken) starts more.
 */
class FetchQueue {
  private readonly queued: InputObject[] = [];
  private next = 0;
  private running = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly full: () => boolean,
    private readonly fetch: (input: InputObject) => Promise<void>,
    private readonly fail: (err: unknown) => void,
  ) {}

  /** Being fetched. */
  get inFlight(): number {
    return this.running;
  }

  add(input: InputObject): void {
    this.queued.push(input);
    this.pump();
  }

  clear(): void {
    this.queued.length = 0;
    this.next = 0;
    this.pump();
  }

  pump(): void {
    while (this.running < this.concurrency && this.next < this.queued.length && !this.full()) {
      const input = this.queued[this.next++]!;
      if (this.next > 4096) {
        // Drop the fetched keys' slots now and then, so the queue does not hold the whole listing.
        this.queued.splice(0, this.next);
        this.next = 0;
      }
      this.running++;
      this.fetch(input)
        .catch(this.fail)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    if (this.running === 0 && this.next >= this.queued.length && this.idle) {
      const done = this.idle;
      this.idle = undefined;
      done();
    }
  }

  /** Resolves once every queued key was fetched (the listing is complete when this is called). */
  onIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idle = resolve;
      this.pump();
    });
  }
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
 * is full at `batchFiles`. While a bucket is being fetched, an idle loader takes a quarter batch
 * rather than wait; a folder's files are ready at once, so they go in full batches only (small
 * batches keep fewer duplicates together and pay the per-batch costs more often: 1,500 files in
 * batches of 500 and 1,000 cost ~1.5 CPU-s more than in one).
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
    remote: boolean,
    /** A batch was taken: fetching may go on. */
    private readonly taken: () => void,
  ) {
    this.minBatch = remote ? Math.max(1, Math.floor(options.batchFiles / 4)) : options.batchFiles;
  }

  /** Fetched files not yet in a batch. */
  get waiting(): number {
    return this.ready.length;
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

  /**
   * Starts a batch when the loader is idle and enough files are ready (a batch at most; while a
   * bucket is fetched, a quarter batch will do). Files wait here, not in the load queue, so the
   * fetch queue sees them and stops a batch ahead.
   */
  private schedule(fromLoad: boolean): void {
    const idle = this.loads.size === 0 && (fromLoad || this.loads.pending === 0);
    const enough = this.ready.length >= (this.fetching ? this.minBatch : 1);
    if (this.signal.aborted || !idle || !enough) return;
    const batch = this.ready.splice(0, this.options.batchFiles);
    // Fetching is over and nothing is left waiting: no batch follows this one.
    const last = !this.fetching && this.ready.length === 0;
    void this.loads.add(() => this.load(batch, last)).catch(this.fail);
    this.taken();
  }

  private async load(batch: ReadyFile[], last: boolean): Promise<void> {
    this.signal.throwIfAborted();
    const result = await loadBatch(this.db.connection, batch, this.options.target, last);
    this.options.reporter.filesLoaded?.(batch.map((f) => f.input.key));
    this.account(result, batch.length);
    this.schedule(true);
  }
}
