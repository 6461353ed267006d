import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { oneLine } from '../../errors.js';

/**
 * Decompresses a gzip file to nowhere and returns zlib's complaint, or null when the stream is
 * whole. DuckDB reports a damaged or cut gzip stream as malformed JSON (it parses whatever
 * inflated before the damage), so a failed read of a gzip file is checked here to name the
 * real fault. Only called on the error path: a good file is never decompressed twice.
 */
export async function findGzipFault(path: string): Promise<string | null> {
  try {
    await pipeline(
      createReadStream(path),
      createGunzip(),
      new Writable({
        write(_chunk, _encoding, done) {
          done();
        },
      }),
    );
    return null;
  } catch (err) {
    return oneLine(err);
  }
}
