import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FeedFormatError, type FeedFormatReason } from './feedErrors.js';
import { writeDecodedFiles, type DecodedFiles } from './writeDecodedFeed.js';

type Answer = {
  id: number;
  files?: DecodedFiles;
  reason?: FeedFormatReason;
  detail?: string;
  error?: string;
};

/** Decoder threads when the caller does not say: one per core, at most 4 (a decode is ~1 ms of a thread). */
export function defaultDecoderThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Decodes protobuf feeds to the files the loader reads (writeDecodedFiles) on up to `threads`
 * worker threads (0: on this thread), so decoding runs beside DuckDB's reads instead of between
 * them. A thread starts only when every running one is busy: an archive without protobuf starts
 * none. Jobs go to the least busy thread; each answers in order. close() ends the threads.
 */
export class DecoderPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (k: DecodedFiles) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(private readonly threads: number = defaultDecoderThreads()) {}

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
      const job = this.pending.get(answer.id);
      if (!job) return;
      this.pending.delete(answer.id);
      if (answer.files) job.resolve(answer.files);
      else if (answer.reason) job.reject(new FeedFormatError(answer.reason, answer.detail ?? ''));
      else job.reject(new Error(answer.error ?? 'decoder thread failed'));
    });
    worker.on('error', (err) => {
      for (const job of this.pending.values()) job.reject(err);
      this.pending.clear();
    });
    this.workers.push(slot);
    return slot;
  }

  /** Decodes `source` (protobuf, gzip or not) into files named from `stem` (writeDecodedFiles). */
  decode(source: string, stem: string): Promise<DecodedFiles> {
    if (this.threads === 0) return Promise.resolve().then(() => writeDecodedFiles(source, stem));
    const idle = this.workers.find((w) => w.busy === 0);
    const slot =
      idle ??
      (this.workers.length < this.threads
        ? this.start()
        : this.workers.reduce((a, b) => (b.busy < a.busy ? b : a)));
    slot.busy += 1;
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, source, stem });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
