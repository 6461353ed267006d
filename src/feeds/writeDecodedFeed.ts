import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeFeed, enhancedJson, type EntityKinds, type FeedMessage } from './decodeProtobuf.js';
import { FeedFormatError } from './feedErrors.js';
import { vehicleRowsCsv } from './feedRows.js';
import { isGzip } from './sniffFormat.js';

/** What decoding one protobuf feed wrote for the loader. */
export interface DecodedFiles {
  kinds: EntityKinds;
  /** Its vehicle rows as CSV (src/feeds/feedRows.ts), when it has vehicles. */
  vehicles?: string;
  /** The feed as enhanced JSON, when it has trip updates or alerts (their reads take JSON). */
  feed?: string;
}

function readFeedBytes(source: string): Uint8Array {
  let bytes: Uint8Array = readFileSync(source);
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
  return bytes;
}

function decodeFile(source: string): { message: FeedMessage; kinds: EntityKinds } {
  return decodeFeed(readFeedBytes(source));
}

/** Writes `text` to `target` via a temporary name, renamed when whole. */
function writeWhole(target: string, text: string): void {
  const partial = `${target}.${process.pid}.part`;
  try {
    writeFileSync(partial, text, { mode: 0o600 });
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * Decodes the protobuf feed at `source` (gzip by its magic bytes) into what the loader reads: its
 * vehicle rows as flat CSV at `${stem}.vehicles.csv` (DuckDB reads it without building a nested
 * document), and, only when it has trip updates or alerts, the feed as enhanced JSON at
 * `${stem}.json` for those tables' reads. Throws FeedFormatError for bytes that are not a readable feed.
 */
export function writeDecodedFiles(source: string, stem: string): DecodedFiles {
  const { message, kinds } = decodeFile(source);
  const decoded: DecodedFiles = { kinds };
  const vehicles = vehicleRowsCsv(message, kinds.vehicles);
  if (vehicles !== null) {
    decoded.vehicles = `${stem}.vehicles.csv`;
    writeWhole(decoded.vehicles, vehicles);
  }
  if (kinds.tripUpdates + kinds.alerts > 0) {
    decoded.feed = `${stem}.json`;
    writeWhole(decoded.feed, JSON.stringify(enhancedJson(message)));
  }
  return decoded;
}

/**
 * Decodes the protobuf feed at `source` and writes all of it as enhanced JSON to `target` (tests
 * and tools that want the JSON a decoded feed stands for). Throws FeedFormatError as above.
 */
export async function writeDecodedFeed(source: string, target: string): Promise<EntityKinds> {
  const { message, kinds } = decodeFile(source);
  writeWhole(target, JSON.stringify(enhancedJson(message)));
  return kinds;
}
