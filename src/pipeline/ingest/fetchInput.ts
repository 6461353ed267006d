import type { FetchCache } from '../../store/store.js';
import type { FailedKey, SkippedKey } from '../skipReasons.js';
import type { InputObject } from './listInputs.js';

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

/**
 * One archive object as a local file DuckDB can read (fetched into the cache, or a folder's file
 * read in place), or the reason it is skipped or failed. Only a permanent fault of the store (access,
 * a missing bucket) throws.
 */
export async function fetchInput(
  input: InputObject,
  cache: FetchCache,
  maxObjectSize: number,
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
      return { kind: 'ready', file: { input, path: read.path, bytes: read.bytes } };
    case 'skipped':
      return skip(read.reason, read.detail);
    case 'failed':
      return { kind: 'failed', failed: { key: input.uri, error: read.error } };
  }
  const verdict = classifyHead(read.head, read.claimsGzip, read.bytes);
  if ('reason' in verdict) return skip(verdict.reason, verdict.detail);
  return { kind: 'ready', file: { input, path: await read.keep(verdict.gzip), bytes: read.bytes } };
}
