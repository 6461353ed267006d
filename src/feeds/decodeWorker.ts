import { parentPort } from 'node:worker_threads';
import type { CopyRule } from './runCopies.js';
import { writeDecodedRun } from './writeDecodedFeed.js';

/** A decoder thread: receives {id, sources, stem, rule?}, answers {id, outcomes} (writeDecodedRun) or {id, error}. */
// The thread's file reads and writes are synchronous: it has nothing else to do meanwhile, and a
// promise per open, read, write and rename cost more than the decoding (measured: a third of the thread).
parentPort?.on('message', (job: { id: number; sources: string[]; stem: string; rule?: CopyRule }) => {
  try {
    parentPort?.postMessage({ id: job.id, outcomes: writeDecodedRun(job.sources, job.stem, job.rule) });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
