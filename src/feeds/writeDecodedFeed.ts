import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeFeed, enhancedJson, type EntityKinds, type FeedMessage } from './decodeProtobuf.js';
import { FeedFormatError, type FeedFormatReason } from './feedErrors.js';
import { EntityLineCache, vehicleRowsCsv, vehicleRowsFromWire } from './feedRows.js';
import { RunCopies, type CopyRule } from './runCopies.js';
import { isGzip } from './sniffFormat.js';

/** What decoding one protobuf feed wrote for the loader. */
export interface DecodedFiles {
  kinds: EntityKinds;
  /**
   * Its vehicle rows, when it has vehicles: the lines of `file` (CSV, src/feeds/feedRows.ts) whose
   * part column is `part`. The feeds of one run share a file (writeDecodedRun).
   */
  vehicles?: { file: string; part: number };
  /** The feed as enhanced JSON, when it has trip updates or alerts (their reads take JSON). */
  feed?: string;
}

/** What one feed of a run came to: its files, a reason it is not a readable feed, or an error. */
export type DecodeOutcome =
  { files: DecodedFiles } | { reason: FeedFormatReason; detail: string } | { error: string };

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

/** This thread's entity lines (feedRows.ts): consecutive snapshots share most of their entities. */
const entityLines = new EntityLineCache();

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

/** One feed of a run: its vehicle rows (CSV bytes, part column set) and what it wrote besides. */
function decodeOne(
  source: string,
  part: number,
  stem: string,
  copies?: RunCopies,
): { kinds: EntityKinds; rows: Buffer | null; feed?: string } {
  const bytes = readFeedBytes(source);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const vehiclesOnly = vehicleRowsFromWire(view, entityLines, part, copies);
  if (vehiclesOnly !== null) return { kinds: vehiclesOnly.kinds, rows: vehiclesOnly.csv };
  const { message, kinds } = decodeFeed(bytes);
  const rows = vehicleRowsCsv(message, kinds.vehicles, part);
  if (kinds.tripUpdates + kinds.alerts === 0) return { kinds, rows };
  const feed = `${stem}-${part}.json`;
  writeFileSync(feed, JSON.stringify(enhancedJson(message)), { mode: 0o600 });
  return { kinds, rows, feed };
}

/**
 * Decodes a run of protobuf feeds (gzip by their magic bytes) into what the loader reads: all
 * their vehicle rows in one flat CSV, `${stem}.vehicles.csv`, feed i's lines with part i (DuckDB
 * reads it without building a nested document), and, only for a feed with trip updates or alerts,
 * that feed as enhanced JSON at `${stem}-i.json` for those tables' reads. One outcome per source,
 * in order: bytes that are not a readable feed get FeedFormatError's reason, a file that cannot be
 * read an error; the others are unaffected.
 *
 * With `rule` (ingest), copies of an entity the batch's dedupe would drop in favour of another
 * copy in the same run are left out of the CSV (RunCopies); the counts are unchanged.
 */
export function writeDecodedRun(sources: readonly string[], stem: string, rule?: CopyRule): DecodeOutcome[] {
  // One file for the run, not one per feed: creating a file cost ~1 ms of system time on the
  // bench machine's /tmp, more than decoding the feed. The files are the run's own, in its private
  // work folder, and read only after this returns: no temporary name and rename.
  const file = `${stem}.vehicles.csv`;
  const copies = rule ? new RunCopies(rule) : undefined;
  const rows: { part: number; csv: Buffer }[] = [];
  const outcomes = sources.map((source, part): DecodeOutcome => {
    try {
      const one = decodeOne(source, part, stem, copies);
      const files: DecodedFiles = { kinds: one.kinds };
      if (one.rows !== null) {
        rows.push({ part, csv: one.rows });
        files.vehicles = { file, part };
      }
      if (one.feed) files.feed = one.feed;
      return { files };
    } catch (err) {
      if (err instanceof FeedFormatError) return { reason: err.reason, detail: err.detail };
      return { error: err instanceof Error ? err.message : String(err) };
    }
  });
  if (rows.length > 0)
    writeFileSync(file, Buffer.concat(rows.map((r) => (copies ? copies.finish(r.part, r.csv) : r.csv))), {
      mode: 0o600,
    });
  return outcomes;
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
