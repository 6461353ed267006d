import { parentPort } from 'node:worker_threads';
import { FeedFormatError } from './feedErrors.js';
import { writeDecodedFeed } from './writeDecodedFeed.js';

/** A decoder thread: receives {id, source, target}, answers {id, kinds} or {id, reason, detail} or {id, error}. */
parentPort?.on('message', (job: { id: number; source: string; target: string }) => {
  writeDecodedFeed(job.source, job.target).then(
    (kinds) => parentPort?.postMessage({ id: job.id, kinds }),
    (err: unknown) =>
      parentPort?.postMessage(
        err instanceof FeedFormatError
          ? { id: job.id, reason: err.reason, detail: err.detail }
          : { id: job.id, error: err instanceof Error ? err.message : String(err) },
      ),
  );
});
