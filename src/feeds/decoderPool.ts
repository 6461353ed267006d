import { Worker } from 'node:worker_threads';
import type { EntityKinds } from './decodeProtobuf.js';
import { FeedFormatError, type FeedFormatReason } from './feedErrors.js';
import { writeDecodedFeed } from './writeDecodedFeed.js';

type Answer = { id: number; kinds?: EntityKinds; reason?: FeedFormatReason; detail?: string; error?: string };

/**
 * Decodes protobuf feeds to enhanced JSON files on `threads` worker threads (0: on this thread),
 * so decoding runs beside DuckDB's reads instead of between them. Jobs go to the least busy
 * worker; each answers in order. close() ends the workers.
 */
export class DecoderPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (k: EntityKinds) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(threads: number) {
    // Under the test runner this module is TypeScript; the worker runs from the build.
    const here = import.meta.url.endsWith('.ts')
      ? new URL('../../dist/feeds/', import.meta.url)
      : new URL('./', import.meta.url);
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('decodeWorker.js', here));
      worker.unref();
      const slot = { worker, busy: 0 };
      worker.on('message', (answer: Answer) => {
        slot.busy -= 1;
        const job = this.pending.get(answer.id);
        if (!job) return;
        this.pending.delete(answer.id);
        if (answer.kinds) job.resolve(answer.kinds);
        else if (answer.reason) job.reject(new FeedFormatError(answer.reason, answer.detail ?? ''));
        else job.reject(new Error(answer.error ?? 'decoder thread failed'));
      });
      worker.on('error', (err) => {
        for (const job of this.pending.values()) job.reject(err);
        this.pending.clear();
      });
      this.workers.push(slot);
    }
  }

  /** Decodes `source` (protobuf, gzip or not) into `target` (enhanced JSON); the feed's entity kinds. */
  decode(source: string, target: string): Promise<EntityKinds> {
    if (this.workers.length === 0) return writeDecodedFeed(source, target);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy += 1;
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, source, target });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
