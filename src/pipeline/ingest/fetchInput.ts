import { join } from 'node:path';
import type { DecoderPool } from '../../feeds/decoderPool.js';
import { prepareFeedFile } from '../../feeds/prepareFeedFile.js';
import type { DecodedFiles } from '../../feeds/writeDecodedFeed.js';
import type { FetchCache } from '../../store/store.js';
import type { FailedKey, SkippedKey } from '../skipReasons.js';
import { jsonSpelling } from './jsonSpelling.js';
import type { InputObject } from './listInputs.js';

/** A file DuckDB can read: its name ends in .gz exactly when its bytes are gzip, and has no glob characters. */
export interface ReadyFile {
  input: InputObject;
  path: string;
  bytes: number;
  /** A protobuf feed: what its decoding wrote (`path` is then the fetched protobuf file). */
  decoded?: DecodedFiles;
  /** JSON whose head shows snake_case field names only (jsonSpelling): read with the narrower schema. */
  snakeCase?: true;
}

export type FetchOutcome =
  | { kind: 'ready'; file: ReadyFile }
  | { kind: 'skipped'; skipped: SkippedKey }
  | { kind: 'failed'; failed: FailedKey };

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
): { gzip: boolean; claimedGzip?: boolean } | Omit<SkippedKey, 'key'> {
  if (size === 0 || (head.length === size && isBlank(head)))
    return { reason: 'empty', detail: `${size} bytes` };
  if (isGzipMagic(head)) return { gzip: true };
  // Neither gzip nor JSON under a gzip name: protobuf, or corrupt gzip if it does not decode.
  return { gzip: false, ...(claimsGzip && !looksLikeJson(head) ? { claimedGzip: true } : {}) };
}

/**
 * A fetched file as DuckDB reads it: JSON as it is; a protobuf feed (any name, gzip or not) decoded
 * on the pool into the run's work folder (its vehicles as flat rows, its trip updates and alerts as
 * enhanced JSON: src/feeds/writeDecodedFeed.ts); anything
 * else skipped with the decoder's reason (corrupt_gzip when a gzip name or header said it was gzip).
 */
async function readable(
  input: InputObject,
  path: string,
  bytes: number,
  cache: FetchCache,
  decoder: DecoderPool,
  head?: Buffer,
  claimedGzip = false,
): Promise<FetchOutcome> {
  const dir = join(cache.workDir, 'decoded');
  // Made once per run by the run's cache index (a mkdir per protobuf cost 0.15 ms each).
  const prepared = await prepareFeedFile(path, dir, decoder, head, () => cache.index.ensureDir(dir));
  if (prepared.kind === 'json') {
    const snake = jsonSpelling(prepared.head) === 'snake';
    return { kind: 'ready', file: { input, path, bytes, ...(snake ? { snakeCase: true as const } : {}) } };
  }
  if (prepared.kind === 'decoded')
    return { kind: 'ready', file: { input, path, bytes, decoded: prepared.files } };
  const skipped =
    claimedGzip && prepared.reason === 'not_a_feed'
      ? {
          reason: 'corrupt_gzip' as const,
          detail: 'named or served as gzip, but the bytes are neither gzip nor a feed',
        }
      : { reason: prepared.reason, detail: prepared.detail };
  return { kind: 'skipped', skipped: { key: input.uri, ...skipped } };
}

/**
 * One archive object as a local file DuckDB can read (fetched into the cache, or a folder's file
 * read in place), or the reason it is skipped or failed. Only a permanent fault of the store (access,
 * a missing bucket) throws.
 */
export async function fetchInput(
  input: InputObject,
  cache: FetchCache,
  maxObjectSize: number,
  decoder: DecoderPool,
  signal?: AbortSignal,
): Promise<FetchOutcome> {
  const skip = (reason: SkippedKey['reason'], detail: string): FetchOutcome => ({
    kind: 'skipped',
    skipped: { key: input.uri, reason, detail },
  });
  if (input.size === 0) return skip('empty', '0 bytes');
  if (input.size > maxObjectSize) return skip('too_large', `${input.size} bytes > ${maxObjectSize}`);
  const read = await input.store.readToFile(input, cache, signal);
  switch (read.kind) {
    case 'ready':
      return readable(input, read.path, read.bytes, cache, decoder);
    case 'skipped':
      return skip(read.reason, read.detail);
    case 'failed':
      return { kind: 'failed', failed: { key: input.uri, error: read.error } };
  }
  const verdict = classifyHead(read.head, read.claimsGzip, read.bytes);
  if ('reason' in verdict) return skip(verdict.reason, verdict.detail);
  const path = await read.keep(verdict.gzip);
  return readable(input, path, read.bytes, cache, decoder, read.head, verdict.claimedGzip);
}
