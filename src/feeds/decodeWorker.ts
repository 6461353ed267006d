import { parentPort } from 'node:worker_threads';
import { FeedFormatError } from './feedErrors.js';
import { writeDecodedFiles } from './writeDecodedFeed.js';

/** A decoder thread: receives {id, source, stem}, answers {id, files} or {id, reason, detail} or {id, error}. */
// The thread's file reads and writes are synchronous: it has nothing else to do meanwhile, and a
// promise per open, read, write and rename cost more than the decoding (measured: a third of the thread).
parentPort?.on('message', (job: { id: number; source: string; stem: string }) => {
  try {
    parentPort?.postMessage({ id: job.id, files: writeDecodedFiles(job.source, job.stem) });
  } catch (err) {
    parentPort?.postMessage(
      err instanceof FeedFormatError
        ? { id: job.id, reason: err.reason, detail: err.detail }
        : { id: job.id, error: err instanceof Error ? err.message : String(err) },
    );
  }
});
