import { open } from 'node:fs/promises';
import type { DecoderPool } from './decoderPool.js';
import { FeedFormatError, type FeedFormatReason } from './feedErrors.js';
import { contentFormat, inflatedHead, isGzip } from './sniffFormat.js';
import type { DecodedFiles } from './writeDecodedFeed.js';

/** What a fetched file is to the loader, decided by its bytes. */
export type PreparedFeed =
  /** JSON (gzip or not): DuckDB reads the file as it is; `head`: its first (decompressed) bytes. */
  | { kind: 'json'; gzip: boolean; head: Buffer }
  /** A protobuf feed, decoded into the files the loader reads; its entities' kinds are known. */
  | { kind: 'decoded'; files: DecodedFiles }
  | { kind: 'skipped'; reason: FeedFormatReason; detail: string };

async function readStart(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The first decompressed bytes of a gzip file: a kilobyte of deflate usually holds its code tables
 * and a few kB of text (20 µs); 16 KiB only when it does not (260 µs). Empty: corrupt from the start.
 */
async function gzipContentHead(path: string): Promise<Buffer> {
  const content = inflatedHead(await readStart(path, 1024));
  return content.length > 0 ? content : inflatedHead(await readStart(path, 16 * 1024));
}

/**
 * Looks at a local file's bytes (never its name): JSON is left for DuckDB; a protobuf feed, gzip
 * or not, is decoded by `pool` into files in `decodedDir` (writeDecodedRun).
 * Bytes that are neither are skipped with the decoder's reason. `head`: the file's first bytes when
 * the caller has them (a plain JSON file then costs no read).
 */
export async function prepareFeedFile(
  path: string,
  decodedDir: string,
  pool: DecoderPool,
  head?: Buffer,
  /** Makes decodedDir, once a protobuf needs it. */
  beforeDecode?: () => Promise<unknown>,
): Promise<PreparedFeed> {
  const start = head && head.length >= 2 ? head : await readStart(path, 1024);
  const gzip = isGzip(start);
  // A gzip head of a kilobyte or more that the caller already holds (the store read it) saves
  // reading the file again; a shorter one may not show the field names (jsonSpelling).
  const given = gzip && head && head.length >= 1024 ? inflatedHead(head.subarray(0, 1024)) : undefined;
  const content = gzip ? (given?.length ? given : await gzipContentHead(path)) : start;
  if (gzip && content.length === 0) {
    return { kind: 'skipped', reason: 'corrupt_gzip', detail: 'gzip data is corrupt from its first block' };
  }
  if (contentFormat(content) === 'json') return { kind: 'json', gzip, head: content };
  await beforeDecode?.();
  try {
    return { kind: 'decoded', files: await pool.decode(path, decodedDir) };
  } catch (err) {
    if (err instanceof FeedFormatError) return { kind: 'skipped', reason: err.reason, detail: err.detail };
    throw err;
  }
}
