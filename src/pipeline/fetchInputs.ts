import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, symlink, writeFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { oneLine, RtlakeError } from '../errors.js';
import { withRetry, type RetryCounter, type RetryPolicy } from '../retry.js';
import { getObjectBytes } from '../s3/getObjectBytes.js';
import { describeS3Error, isArchived, isNotFound, isTransientS3Error } from '../s3/s3Errors.js';
import type { InputObject } from './listInputs.js';
import type { FailedKey, SkippedKey } from './skipReasons.js';

/** A file DuckDB can read: its name ends in .gz exactly when its bytes are gzip, and has no glob characters. */
export interface ReadyFile {
  input: InputObject;
  path: string;
  bytes: number;
}

export type FetchOutcome =
  | { kind: 'ready'; file: ReadyFile }
  | { kind: 'skipped'; skipped: SkippedKey }
  | { kind: 'failed'; failed: FailedKey };

export interface FetchOptions {
  cacheDir: string;
  /** Private per-run folder for links to local files with awkward names. */
  workDir: string;
  maxObjectSize: number;
  endpoint?: string;
  policy?: RetryPolicy;
  counter?: RetryCounter;
  /** What the cache's folders held when this run first looked (see CacheIndex). */
  cacheIndex: CacheIndex;
}

/**
 * The cache's folders as this run found them: one readdir per folder (256 of them) instead of two
 * failing stat calls per object, and one mkdir per folder instead of one per object. On a fresh
 * 30,000-object day those calls cost ~15 s of the main thread. Objects this run writes are not
 * added: each key is fetched once per run.
 */
export class CacheIndex {
  private readonly listed = new Map<string, Promise<Set<string>>>();
  private readonly made = new Map<string, Promise<unknown>>();

  has(dir: string, name: string): Promise<boolean> {
    let names = this.listed.get(dir);
    if (!names) {
      names = readdir(dir).then(
        (n) => new Set(n),
        () => new Set<string>(),
      );
      this.listed.set(dir, names);
    }
    return names.then((set) => set.has(name));
  }

  ensureDir(dir: string): Promise<unknown> {
    let made = this.made.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true, mode: 0o700 });
      made.catch(() => this.made.delete(dir));
      this.made.set(dir, made);
    }
    return made;
  }
}

const globChars = /[*?[\]{}]/;
const compressedName = /\.(gz|gzip|zst|zstd)$/i;

function isGzipMagic(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function looksLikeJson(head: Buffer): boolean {
  const text = head.toString('latin1').trimStart();
  return text.startsWith('{') || text.startsWith('[');
}

function isBlank(head: Buffer): boolean {
  return head.toString('latin1').trim() === '';
}

/**
 * Decides how to read bytes whose head is `head`: gzip by the magic bytes whatever the name or
 * Content-Encoding says; a name or header claiming gzip on bytes that are neither gzip nor JSON is
 * corrupt gzip. Returns a skip reason or the compression to use.
 */
function classifyHead(
  head: Buffer,
  claimsGzip: boolean,
  size: number,
): { gzip: boolean } | Omit<SkippedKey, 'key'> {
  if (size === 0 || (head.length === size && isBlank(head)))
    return { reason: 'empty', detail: `${size} bytes` };
  if (isGzipMagic(head)) return { gzip: true };
  if (claimsGzip && !looksLikeJson(head))
    return { reason: 'corrupt_gzip', detail: 'named or served as gzip, but the bytes are not gzip' };
  return { gzip: false };
}

async function readHead(path: string, length = 64): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

let linkCounter = 0;

/** A local file: checked by its first bytes, linked under a clean name when its own name would mislead DuckDB. */
export async function prepareLocalFile(input: InputObject, options: FetchOptions): Promise<FetchOutcome> {
  const path = input.path!;
  if (input.size > options.maxObjectSize) {
    return {
      kind: 'skipped',
      skipped: {
        key: input.uri,
        reason: 'too_large',
        detail: `${input.size} bytes > ${options.maxObjectSize}`,
      },
    };
  }
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (err) {
    return { kind: 'failed', failed: { key: input.uri, error: `cannot read: ${oneLine(err)}` } };
  }
  const verdict = classifyHead(head, /\.gz$/i.test(path), input.size);
  if ('reason' in verdict) return { kind: 'skipped', skipped: { key: input.uri, ...verdict } };
  const nameFits = verdict.gzip ? /\.gz$/i.test(path) : !compressedName.test(path);
  if (nameFits && !globChars.test(path)) return { kind: 'ready', file: { input, path, bytes: input.size } };
  const link = join(options.workDir, 'links', `${++linkCounter}.json${verdict.gzip ? '.gz' : ''}`);
  await mkdir(join(options.workDir, 'links'), { recursive: true, mode: 0o700 });
  await symlink(path, link);
  return { kind: 'ready', file: { input, path: link, bytes: input.size } };
}

/** The cache file for an S3 object: named by endpoint, bucket, key and ETag, so a changed object is fetched again. */
function cacheStem(input: InputObject, options: FetchOptions): string {
  const loc = input.location;
  const id = [
    options.endpoint ?? 'aws',
    loc.kind === 's3' ? loc.bucket : '',
    input.sourceKey,
    input.etag ?? '',
    String(input.size),
  ].join('\n');
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 40);
  return join(options.cacheDir, 'objects', digest.slice(0, 2), digest);
}

/**
 * An S3 object, from the cache or fetched into it. A download lands under a temporary name and is
 * renamed into place only when whole, so the cache never serves a partial object.
 */
export async function fetchS3Object(
  client: S3Client,
  input: InputObject,
  options: FetchOptions,
): Promise<FetchOutcome> {
  if (input.location.kind !== 's3') throw new Error('fetchS3Object needs an S3 input');
  const { bucket } = input.location;
  const key = input.sourceKey;
  if (input.size === 0)
    return { kind: 'skipped', skipped: { key: input.uri, reason: 'empty', detail: '0 bytes' } };
  if (input.size > options.maxObjectSize) {
    return {
      kind: 'skipped',
      skipped: {
        key: input.uri,
        reason: 'too_large',
        detail: `${input.size} bytes > ${options.maxObjectSize}`,
      },
    };
  }
  const stem = cacheStem(input, options);
  for (const candidate of [`${stem}.json.gz`, `${stem}.json`]) {
    // Named by ETag and size, so a cached file is the listed object: its size is the object's.
    if (await options.cacheIndex.has(dirname(candidate), basename(candidate)))
      return { kind: 'ready', file: { input, path: candidate, bytes: input.size } };
  }
  let body: Buffer;
  let encoding: string | undefined;
  try {
    const fetched = await withRetry(
      () => getObjectBytes(client, bucket, key),
      isTransientS3Error,
      options.policy,
      options.counter,
    );
    body = fetched.body;
    encoding = fetched.contentEncoding;
  } catch (err) {
    if (isNotFound(err))
      return {
        kind: 'skipped',
        skipped: { key: input.uri, reason: 'vanished', detail: 'NoSuchKey (HTTP 404) after listing' },
      };
    if (isArchived(err)) {
      return {
        kind: 'skipped',
        skipped: {
          key: input.uri,
          reason: 'archived',
          detail: `InvalidObjectState (storage class ${input.storageClass ?? 'archive'}): restore it with aws s3api restore-object --bucket ${bucket} --key '${key}' --restore-request Days=7, then re-run`,
        },
      };
    }
    if (isTransientS3Error(err))
      return { kind: 'failed', failed: { key: input.uri, error: `gave up after retries: ${oneLine(err)}` } };
    const described = describeS3Error(err, 'fetch', input.uri, options.endpoint);
    if (err instanceof RtlakeError) throw err;
    throw described;
  }
  const verdict = classifyHead(
    body.subarray(0, 64),
    /gzip/i.test(encoding ?? '') || /\.gz$/i.test(key),
    body.length,
  );
  if ('reason' in verdict) return { kind: 'skipped', skipped: { key: input.uri, ...verdict } };
  const path = `${stem}.json${verdict.gzip ? '.gz' : ''}`;
  await options.cacheIndex.ensureDir(dirname(stem));
  const partial = `${stem}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    await writeFile(partial, body, { mode: 0o600 });
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { kind: 'ready', file: { input, path, bytes: body.length } };
}
