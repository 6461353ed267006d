import { open } from 'node:fs/promises';
import type { DecoderPool } from './decoderPool.js';
import type { EntityKinds } from './decodeProtobuf.js';
import { FeedFormatError, type FeedFormatReason } from './feedErrors.js';
import { contentFormat, inflatedHead, isGzip } from './sniffFormat.js';

/** What a fetched file is to the loader, decided by its bytes. */
export type PreparedFeed =
  /** JSON (gzip or not): DuckDB reads the file as it is. */
  | { kind: 'json'; gzip: boolean }
  /** A protobuf feed, decoded to enhanced JSON at `path`; its entities' kinds are known. */
  | { kind: 'decoded'; path: string; kinds: EntityKinds }
  | { kind: 'skipped'; reason: FeedFormatReason; detail: string };

/** Enough of a gzip stream to see what it holds: a deflate block's code tables come first. */
const sniffBytes = 16 * 1024;

async function readStart(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(sniffBytes);
    const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Looks at a local file's bytes (never its name): JSON is left for DuckDB; a protobuf feed, gzip
 * or not, is decoded by `pool` into `decodedPath` (enhanced JSON, read by the same statements).
 * Bytes that are neither are skipped with the decoder's reason.
 */
export async function prepareFeedFile(
  path: string,
  decodedPath: string,
  pool: DecoderPool,
): Promise<PreparedFeed> {
  const start = await readStart(path);
  const gzip = isGzip(start);
  // A kilobyte of deflate usually holds its code tables and the first few kB of text (20 µs); the
  // whole 16 KiB only when it did not (260 µs).
  let content = gzip ? inflatedHead(start.subarray(0, 1024)) : start;
  if (gzip && content.length === 0) content = inflatedHead(start);
  if (gzip && content.length === 0) {
    return { kind: 'skipped', reason: 'corrupt_gzip', detail: 'gzip data is corrupt from its first block' };
  }
  if (contentFormat(content) === 'json') return { kind: 'json', gzip };
  try {
    return { kind: 'decoded', path: decodedPath, kinds: await pool.decode(path, decodedPath) };
  } catch (err) {
    if (err instanceof FeedFormatError) return { kind: 'skipped', reason: err.reason, detail: err.detail };
    throw err;
  }
}
