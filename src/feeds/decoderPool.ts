import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FeedFormatError } from './feedErrors.js';
import type { CopyRule } from './runCopies.js';
import type { DecodeOutcome, DecodedFiles } from './writeDecodedFeed.js';

type Answer = { id: number; outcomes?: DecodeOutcome[]; error?: string };

/** Decoder threads when the caller does not say: one per core, at most 4 (a decode is ~1 ms of a thread). */
export function defaultDecoderThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Feeds waiting to go to a thread as one run, and their callers. */
interface Run {
  dir: string;
  sources: string[];
  callers: { resolve: (k: DecodedFiles) => void; reject: (e: Error) => void }[];
}

/**
 * Decodes protobuf feeds to the files the loader reads on up to `threads` worker threads (0: on
 * this thread), so decoding runs beside DuckDB's reads instead of between them. A thread starts
 * only when every running one is busy: an archive without protobuf starts none.
 *
 * Feeds asked for together go to a thread as one run (writeDecodedRun: one vehicle rows file per
 * run, up to `runFiles` feeds, sent when full or once the current turn of the event loop is
 * over), and a thread keeps the entities it has seen (EntityLineCache): a snapshot shares most of
 * them with the one before, which a run of consecutive snapshots finds. close() ends the threads.
 */
export class DecoderPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Run>();
  private open: Run | undefined;
  private nextId = 0;

  constructor(
    private readonly threads: number = defaultDecoderThreads(),
    /** Feeds in one run: fewer than the fetches in flight over the threads, so every thread gets runs. */
    private readonly runFiles = 8,
    /** Ingest's dedupe rule: copies it would drop within a run are not written (RunCopies). */
    private readonly rule?: CopyRule,
  ) {}

  private start(): { worker: Worker; busy: number } {
    // Under the test runner this module is TypeScript; the worker runs from the build.
    const here = import.meta.url.endsWith('.ts')
      ? new URL('../../dist/feeds/', import.meta.url)
      : new URL('./', import.meta.url);
    const worker = new Worker(new URL('decodeWorker.js', here));
    worker.unref();
    const slot = { worker, busy: 0 };
    worker.on('message', (answer: Answer) => {
      slot.busy -= 1;
      const run = this.pending.get(answer.id);
      if (!run) return;
      this.pending.delete(answer.id);
      settle(run, answer.outcomes ?? new Error(answer.error ?? 'decoder thread failed'));
    });
    worker.on('error', (err) => {
      for (const run of this.pending.values()) settle(run, err);
      this.pending.clear();
    });
    this.workers.push(slot);
    return slot;
  }

  /**
   * Decodes `source` (protobuf, gzip or not) into files in `dir` (writeDecodedRun). Rejects with
   * FeedFormatError when the bytes are not a readable feed.
   */
  decode(source: string, dir: string): Promise<DecodedFiles> {
    return new Promise((resolve, reject) => {
      if (this.open && this.open.dir !== dir) this.send(this.open);
      if (!this.open) {
        const run: Run = { dir, sources: [], callers: [] };
        this.open = run;
        setImmediate(() => {
          if (this.open === run) this.send(run);
        });
      }
      this.open.sources.push(source);
      this.open.callers.push({ resolve, reject });
      if (this.open.sources.length >= this.runFiles) this.send(this.open);
    });
  }

  private send(run: Run): void {
    if (this.open === run) this.open = undefined;
    const id = ++this.nextId;
    const stem = join(run.dir, String(id));
    if (this.threads === 0) {
      // Loaded here, not at the top: protobufjs and the proto cost this thread ~65 ms to load,
      // and a run of JSON feeds never needs them (the threads load their own).
      void import('./writeDecodedFeed.js')
        .then(({ writeDecodedRun }) => writeDecodedRun(run.sources, stem, this.rule))
        .then(
          (outcomes) => settle(run, outcomes),
          (err: unknown) => settle(run, err instanceof Error ? err : new Error(String(err))),
        );
      return;
    }
    const idle = this.workers.find((w) => w.busy === 0);
    const slot =
      idle ??
      (this.workers.length < this.threads
        ? this.start()
        : this.workers.reduce((a, b) => (b.busy < a.busy ? b : a)));
    slot.busy += 1;
    this.pending.set(id, run);
    slot.worker.postMessage({ id, sources: run.sources, stem, ...(this.rule ? { rule: this.rule } : {}) });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/** Answers each caller of a run with its feed's outcome (or everyone with the run's error). */
function settle(run: Run, outcomes: DecodeOutcome[] | Error): void {
  run.callers.forEach((caller, i) => {
    const outcome = outcomes instanceof Error ? { error: outcomes.message } : outcomes[i];
    if (outcome === undefined) caller.reject(new Error('decoder thread gave no answer'));
    else if ('files' in outcome) caller.resolve(outcome.files);
    else if ('reason' in outcome) caller.reject(new FeedFormatError(outcome.reason, outcome.detail));
    else caller.reject(new Error(outcome.error));
  });
}
