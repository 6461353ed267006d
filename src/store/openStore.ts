import type { Location } from '../location.js';
import { defaultRetryPolicy, RetryTally, type RetryPolicy } from '../retry.js';
import type { S3Settings } from '../s3/s3Client.js';
import { S3Connection, S3Store } from '../s3/s3Store.js';
import { LocalStore } from './localStore.js';
import type { Store } from './store.js';

export interface StorageSettings {
  /** How to reach S3: the one options object the S3 client is built from (src/s3/s3Client.ts). */
  s3: S3Settings;
  policy?: RetryPolicy;
}

/** Opens the stores of one run; they share one S3 client (made on first use) and one retry counter. */
export interface Storage {
  open(location: Location): Store;
  /** Transient faults retried so far by every store opened here. */
  readonly retries: number;
}

export function makeStorage(settings: StorageSettings): Storage {
  const tally = new RetryTally();
  const s3 = new S3Connection(settings.s3, settings.policy ?? defaultRetryPolicy, tally);
  return {
    // The one place that turns a parsed location into its kind of store.
    open(location) {
      switch (location.kind) {
        case 's3':
          return new S3Store(s3, location.bucket, location.prefix, location.uri);
        case 'local':
          return new LocalStore(location.path, location.uri, tally);
      }
    },
    get retries() {
      return tally.count;
    },
  };
}
