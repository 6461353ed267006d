import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { decodeFeedMessage, type EntityKinds } from './decodeProtobuf.js';
import { FeedFormatError } from './feedErrors.js';
import { isGzip } from './sniffFormat.js';

/**
 * Decodes the protobuf feed at `source` (gzip by its magic bytes) and writes it as enhanced JSON
 * to `target` (via a temporary name, renamed when whole), so DuckDB reads it with the same
 * statements as a JSON feed. Throws FeedFormatError for bytes that are not a readable feed.
 */
export async function writeDecodedFeed(source: string, target: string): Promise<EntityKinds> {
  let bytes: Uint8Array = await readFile(source);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new FeedFormatError(
        'corrupt_gzip',
        `gzip data is corrupt or truncated: ${(err as Error).message}`,
      );
    }
  }
  const decoded = decodeFeedMessage(bytes);
  const partial = `${target}.${process.pid}.part`;
  try {
    await writeFile(partial, JSON.stringify(decoded.feed), { mode: 0o600 });
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return decoded.kinds;
}
