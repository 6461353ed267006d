import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConflictError, oneLine } from '../errors.js';
import { joinKey } from '../location.js';
import { withRetry, type RetryPolicy, type RetryTally } from '../retry.js';
import type {
  FetchCache,
  ListOptions,
  PublishOptions,
  ReadStart,
  Store,
  StoredObject,
} from '../store/store.js';
import { getObjectBytes } from './getObjectBytes.js';
import { listObjects } from './listObjects.js';
import { downloadObject } from './objectFiles.js';
import { probeConditionalWrites } from './probeConditionalWrites.js';
import { putObjectFile } from './putObjectFile.js';
import { makeS3Client, type S3Settings } from './s3Client.js';
import {
  describeS3Error,
  isArchived,
  isNotFound,
  isPreconditionFailed,
  isTransientS3Error,
} from './s3Errors.js';

/** What every S3 store of a run shares: one client (made on first use), its settings, the retry policy and counter. */
export class S3Connection {
  private made: S3Client | undefined;
  constructor(
    readonly settings: S3Settings,
    readonly policy: RetryPolicy,
    readonly tally: RetryTally,
  ) {}
  get client(): S3Client {
    return (this.made ??= makeS3Client(this.settings));
  }
  get endpoint(): string | undefined {
    return this.settings.endpoint;
  }
  /** The options the s3/ functions take: retry policy and counter. */
  get retry() {
    return { policy: this.policy, counter: this.tally };
  }
}

/**
 * A bucket prefix as an archive or a lake. Objects are fetched into the local cache for reading;
 * a lake is written by one conditional PUT per object. Every SDK error is translated here, once,
 * into an rtlake error that names the place and the fix.
 */
export class S3Store implements Store {
  readonly remote = true;
  readonly uri: string;

  constructor(
    private readonly s3: S3Connection,
    readonly bucket: string,
    readonly prefix: string,
    uri?: string,
  ) {
    this.uri = uri ?? `s3://${bucket}/${prefix}`;
  }

  get name(): string {
    return basename(this.prefix);
  }

  get id(): string {
    return `${this.s3.endpoint ?? 'aws'}\n${this.bucket}\n${this.prefix}`;
  }

  get retries(): number {
    return this.s3.tally.count;
  }

  private key(rel: string): string {
    return rel === '' ? this.prefix : joinKey(this.prefix, rel);
  }

  private fail(err: unknown, action: string, where: string, direction: 'read' | 'write' = 'read'): never {
    throw describeS3Error(err, action, where, this.s3.endpoint, direction);
  }

  child(rel: string): Store {
    return new S3Store(this.s3, this.bucket, joinKey(this.prefix, rel));
  }

  async probeRoot(): Promise<'folder'> {
    return 'folder';
  }

  async list(options: ListOptions = {}): Promise<StoredObject[]> {
    const prefix = options.under ? joinKey(this.prefix, options.under) : this.prefix;
    const base = joinKey(this.prefix, '');
    const toStored = (o: {
      key: string;
      size: number;
      etag: string;
      storageClass?: string;
    }): StoredObject => ({
      key: o.key,
      rel: o.key.startsWith(base) ? o.key.slice(base.length) : o.key,
      uri: `s3://${this.bucket}/${o.key}`,
      size: o.size,
      etag: o.etag,
      ...(o.storageClass ? { storageClass: o.storageClass } : {}),
    });
    try {
      const listed = await listObjects(this.s3.client, this.bucket, prefix, {
        ...this.s3.retry,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onPage ? { onPage: (n, page) => options.onPage!(page.map(toStored), n) } : {}),
      });
      return listed.map(toStored);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      this.fail(err, 'listing', `s3://${this.bucket}/${prefix}`);
    }
  }

  /** The cache file for an object: named by endpoint, bucket, key, ETag and size, so a changed object is fetched again. */
  private cacheStem(object: StoredObject, cache: FetchCache): string {
    const id = [
      this.s3.endpoint ?? 'aws',
      this.bucket,
      object.key,
      object.etag ?? '',
      String(object.size),
    ].join('\n');
    const digest = createHash('sha256').update(id).digest('hex').slice(0, 40);
    return join(cache.dir, 'objects', digest.slice(0, 2), digest);
  }

  /**
   * An object from the cache, or fetched whole. `keep` stores it under a temporary name renamed
   * into place only when whole, so the cache never serves a partial object.
   */
  async readToFile(object: StoredObject, cache: FetchCache, signal?: AbortSignal): Promise<ReadStart> {
    const stem = this.cacheStem(object, cache);
    for (const candidate of [`${stem}.json.gz`, `${stem}.json`]) {
      // Named by ETag and size, so a cached file is the listed object: its size is the object's.
      if (await cache.index.has(dirname(candidate), basename(candidate)))
        return { kind: 'ready', path: candidate, bytes: object.size };
    }
    let body: Buffer;
    let encoding: string | undefined;
    try {
      const fetched = await withRetry(
        () => getObjectBytes(this.s3.client, this.bucket, object.key, signal),
        isTransientS3Error,
        this.s3.policy,
        this.s3.tally,
        signal,
      );
      body = fetched.body;
      encoding = fetched.contentEncoding;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (isNotFound(err))
        return { kind: 'skipped', reason: 'vanished', detail: 'NoSuchKey (HTTP 404) after listing' };
      if (isArchived(err)) {
        return {
          kind: 'skipped',
          reason: 'archived',
          detail: `InvalidObjectState (storage class ${object.storageClass ?? 'archive'}): restore it with aws s3api restore-object --bucket ${this.bucket} --key '${object.key}' --restore-request Days=7, then re-run`,
        };
      }
      if (isTransientS3Error(err)) return { kind: 'failed', error: `gave up after retries: ${oneLine(err)}` };
      this.fail(err, 'fetch', object.uri);
    }
    return {
      kind: 'bytes',
      // A view, not a copy: enough for prepareFeedFile to sniff a plain JSON file's spelling.
      head: body.subarray(0, 4096),
      bytes: body.length,
      claimsGzip: /gzip/i.test(encoding ?? '') || /\.gz$/i.test(object.key),
      keep: async (gzip) => {
        const path = `${stem}.json${gzip ? '.gz' : ''}`;
        await cache.index.ensureDir(dirname(stem));
        const partial = `${stem}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
        try {
          await writeFile(partial, body, { mode: 0o600 });
          await rename(partial, path);
        } catch (err) {
          await rm(partial, { force: true });
          throw err;
        }
        return path;
      },
    };
  }

  async copyToFile(rel: string, file: string): Promise<{ path: string; version: string } | null> {
    try {
      const etag = await downloadObject(this.s3.client, this.bucket, this.key(rel), file, this.s3.retry);
      return etag === null ? null : { path: file, version: etag };
    } catch (err) {
      this.fail(err, 'reading', this.uriOf(rel));
    }
  }

  /** Writers of a bucket are kept apart by conditional writes, not a lock. */
  async lockForWriting(): Promise<() => Promise<void>> {
    return async () => {};
  }

  stagingFolder(workDir: string): string {
    return join(workDir, 'staging');
  }

  async honoursConditionalWrites(): Promise<boolean> {
    const prefix = this.prefix === '' || this.prefix.endsWith('/') ? this.prefix : `${this.prefix}/`;
    try {
      return await probeConditionalWrites(this.s3.client, this.bucket, prefix, this.s3.retry);
    } catch (err) {
      this.fail(err, 'upload', this.uri, 'write');
    }
  }

  async publish(file: string, rel: string, options: PublishOptions = {}): Promise<void> {
    const target = this.uriOf(rel);
    const { replacing } = options;
    try {
      await putObjectFile(this.s3.client, this.bucket, this.key(rel), file, {
        ...this.s3.retry,
        ...(replacing === undefined
          ? {}
          : { condition: replacing === null ? { ifNoneMatch: '*' } : { ifMatch: replacing } }),
        ...(options.contentType ? { contentType: options.contentType } : {}),
      });
    } catch (err) {
      if (isPreconditionFailed(err)) {
        throw new ConflictError(
          `${options.what ?? 'object'} ${target} was changed by another writer while this run merged it; nothing of it was overwritten. Re-run to merge again.`,
        );
      }
      this.fail(err, 'upload', target, 'write');
    }
  }

  uriOf(rel: string): string {
    return `s3://${this.bucket}/${this.key(rel)}`;
  }

  s3Url(rel: string): string {
    return this.uriOf(rel);
  }

  readableFolder(copy: string): string {
    return copy;
  }
}
