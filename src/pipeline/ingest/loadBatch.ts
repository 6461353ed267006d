import type { DuckDBConnection } from '@duckdb/node-api';
import { readFailureReason } from '../../db/duckdbErrors.js';
import { RtlakeError, oneLine } from '../../errors.js';
import { appendRows } from '../../db/appendRows.js';
import { readSqlFile, runSqlFile } from '../../db/runSqlFile.js';
import { sqlDate, sqlInteger, sqlString, sqlStringList, sqlStringRows } from '../../db/sqlText.js';
import type { Day } from '../dayMode.js';
import { ruleWindow, type DedupeRule } from '../dedupeRule.js';
import type { SkipReason, SkippedKey } from '../skipReasons.js';
import type { EntityKinds } from '../../feeds/decodeProtobuf.js';
import { judgeSelection, type FeedKind } from '../../feeds/feedKinds.js';
import type { FeedTableName } from '../../feeds/feedLoadInfo.js';
import {
  loadAlertBatch,
  loadTripUpdateBatch,
  noFeedRows,
  type FeedBatchCounts,
} from '../../feeds/feedTables.js';
import type { FeedTable } from './feedTable.js';
import type { ReadyFile } from './fetchInput.js';
import { findGzipFault } from './findGzipFault.js';
import { addLoadInfo, emptyLoadInfo, type LoadInfo } from './loadInfo.js';

/** What a batch's rows become, and for which table. */
export interface BatchTarget {
  table: FeedTable;
  /** The tables the run builds (--feed); trip_updates and alerts are read beside vehicle_positions. */
  feeds?: readonly FeedKind[];
  maxObjectSize: number;
  /** An empty file of the run: ends each file list of the batch read, so a list is never empty. */
  emptyFile: string;
  /**
   * `all`: every row as read, appended to pings (dedupe reports, the workbench over raw sources).
   * A rule: only the batch's winners under it, optionally of one UTC day only, written to a new
   * Parquet file named by `nextFile` (the table's keepBatchWinners statement).
   */
  keep: 'all' | { rule: DedupeRule; day?: Day; nextFile: () => string };
}

/** Creates the load tables. */
export async function createLoadTables(connection: DuckDBConnection, table: FeedTable): Promise<void> {
  // The reads' macros (feed_documents) first: every table's batch read goes through them.
  await runSqlFile(connection, 'ingest/00_feed_macros');
  await runSqlFile(connection, table.sql.schema);
}

/** After the last batch: run_pings over the batches' winner files and the last batch's winners (ingest). */
export async function finishKeptRows(
  connection: DuckDBConnection,
  table: FeedTable,
  keptFiles: readonly string[],
): Promise<void> {
  if (keptFiles.length > 0)
    await runSqlFile(connection, table.sql.runPings, { files: sqlStringList(keptFiles) });
}

/** The tables a batch target builds (dedupe reports and the workbench: vehicle_positions). */
function selectedFeeds(target: BatchTarget): readonly FeedKind[] {
  return target.feeds ?? ['vehicle_positions'];
}

/** What a decoded protobuf feed that added no row is, from the decoder's counts (it has a header and an entity list). */
function classifyDecoded(
  kinds: EntityKinds,
  feeds: readonly FeedKind[],
): { reason: SkipReason; detail: string } | { entities: number } {
  return judgeSelection(kinds, feeds) ?? { entities: kinds.entities };
}

/** What a file that added no row is, from the table's checkFiles statement. */
function classifyQuietFile(
  row: Record<string, unknown> | undefined,
  feeds: readonly FeedKind[],
): { reason: SkipReason; detail: string } | { entities: number } {
  if (!row) return { reason: 'empty', detail: 'no JSON object in the file' };
  if (!row.has_header) return { reason: 'not_a_feed', detail: 'JSON without a GTFS-realtime header' };
  if (!row.has_entity_list) return { reason: 'no_entity_list', detail: 'the feed has no entity list' };
  const notSelected = judgeSelection(
    {
      entities: Number(row.entities),
      vehicles: Number(row.vehicles),
      tripUpdates: Number(row.trip_updates),
      alerts: Number(row.alerts),
    },
    feeds,
  );
  if (notSelected) return notSelected;
  return { entities: Number(row.entities) };
}

async function checkQuietFiles(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
): Promise<LoadInfo> {
  const json = files.filter((f) => !f.decoded);
  const rows =
    json.length === 0
      ? []
      : await readSqlFile(connection, target.table.sql.checkFiles, {
          files: sqlStringList(json.map((f) => f.path)),
          max_object_size: sqlInteger(target.maxObjectSize),
        });
  const byPath = new Map(rows.map((r) => [String(r.file_path), r]));
  const result = emptyLoadInfo();
  for (const file of files) {
    const verdict = file.decoded
      ? classifyDecoded(file.decoded.kinds, selectedFeeds(target))
      : classifyQuietFile(byPath.get(file.path), selectedFeeds(target));
    if ('reason' in verdict) result.skipped.push({ key: file.input.uri, ...verdict });
    else addLoadInfo(result, { loaded: 1, otherEntities: verdict.entities });
  }
  return result;
}

/**
 * Where the table's read finds a file's vehicle rows: a decoded protobuf's lines of its run's CSV
 * (src/feeds/writeDecodedFeed.ts), else the JSON file itself (part 0).
 */
function vehicleRows(file: ReadyFile): { file: string; part: number } | undefined {
  return file.decoded ? file.decoded.vehicles : { file: file.path, part: 0 };
}

/**
 * The batch's vehicle_positions read, when --feed selects the table: one streaming statement reads
 * the batch (readBatch through batchWinners or batchEveryRow: the JSON files, and the decoded
 * protobuf feeds' vehicle rows), then every file is counted (batchCounts). Ingest keeps the
 * batch's winners in a new Parquet file that counts only once written; dedupe reports and the
 * workbench append every row to pings. Returns the per-file counts, or the keys of files holding
 * several JSON documents (then nothing was kept).
 */
async function readVehicles(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
  last: boolean,
): Promise<
  { perFile: Record<string, unknown>[]; keptFile?: string; keptInMemory?: true } | { several: Set<string> }
> {
  const read = files.filter((f) => vehicleRows(f) !== undefined);
  if (read.length === 0 || !selectedFeeds(target).includes('vehicle_positions')) return { perFile: [] };
  const { sql } = target.table;
  // Each feed's rows and how they are read: snake_case JSON with the snake_case schema alone, other
  // JSON with both spellings, decoded protobuf feeds' vehicle rows as CSV (a run's CSV holds
  // several feeds; rows of feeds of another batch find no key and are left out).
  await runSqlFile(connection, sql.batchKeys);
  await appendRows(
    connection,
    'batch_keys',
    read.map((f) => {
      const rows = vehicleRows(f)!;
      return [rows.file, rows.part, f.input.key, f.decoded ? 'csv' : f.snakeCase ? 'snake' : 'either'];
    }),
  );
  await runSqlFile(connection, sql.readBatch, {
    empty_file: sqlString(target.emptyFile),
    max_object_size: sqlInteger(target.maxObjectSize),
    day: sqlDate(target.keep === 'all' ? null : (target.keep.day ?? null)),
  });
  if (target.keep === 'all') await runSqlFile(connection, sql.batchEveryRow);
  else
    await runSqlFile(connection, sql.batchWinners, {
      rule_window: ruleWindow(target.keep.rule, 'file_rank'),
    });
  const perFile = await readSqlFile(connection, sql.batchCounts);
  const several = new Set(perFile.filter((r) => Number(r.documents) > 1).map((r) => String(r.source_key)));
  if (several.size > 0) return { several };
  if (target.keep === 'all') {
    await runSqlFile(connection, sql.appendBatch);
    return { perFile };
  }
  if (last) {
    await runSqlFile(connection, sql.keepLastBatchWinners);
    return { perFile, keptInMemory: true };
  }
  const keptFile = target.keep.nextFile();
  await runSqlFile(connection, sql.keepBatchWinners, { kept_file: sqlString(keptFile) });
  return { perFile, keptFile };
}

/**
 * Reads a batch into each selected table (readVehicles, then loadFeedTables) and accounts for
 * every file. A file holding several JSON documents is skipped, and the batch is read again
 * without it: its rows may have beaten other files' rows.
 */
async function runBatch(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
  last: boolean,
): Promise<LoadInfo> {
  if (files.length === 0) return emptyLoadInfo();
  const vehicles = await readVehicles(connection, files, target, last);
  if ('several' in vehicles) {
    const { several } = vehicles;
    const rest = await runBatch(
      connection,
      files.filter((f) => !several.has(f.input.key)),
      target,
      last,
    );
    for (const f of files) if (several.has(f.input.key)) rest.skipped.push(severalDocuments(f));
    return rest;
  }
  const { perFile, keptFile, keptInMemory } = vehicles;
  try {
    const feeds = await loadFeedTables(connection, files, target);
    const result = await accountFor(
      connection,
      files,
      perFile.filter((r) => Number(r.vehicles) > 0),
      target,
      feeds.keysWithRows,
    );
    if (keptFile) result.keptFiles.push(keptFile);
    result.feeds = feeds.infos;
    return result;
  } catch (err) {
    // A kept Parquet file of a failed attempt is simply not counted; rows kept in DuckDB are taken back.
    if (keptInMemory)
      await runSqlFile(connection, target.table.sql.undoLastBatchWinners, {
        keys: sqlStringRows(files.map((f) => [f.input.key])),
      });
    throw err;
  }
}

const feedLoaders: Record<FeedTableName, typeof loadTripUpdateBatch> = {
  trip_updates: loadTripUpdateBatch,
  alerts: loadAlertBatch,
};

/**
 * The batch's trip updates and alerts, for the selected tables (ingest only): each table's own
 * streaming read of the same files keeps its batch rows in a Parquet file (src/feeds). Returns
 * their counts and the keys of the files that gave them rows (loaded, whatever vehicle_positions found).
 */
async function loadFeedTables(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
): Promise<{ infos: LoadInfo['feeds']; keysWithRows: Set<string> }> {
  const infos: LoadInfo['feeds'] = {};
  const keysWithRows = new Set<string>();
  if (target.keep === 'all') return { infos, keysWithRows };
  // A decoded protobuf feed is read here only when it has trip updates or alerts (its JSON).
  const read = files.flatMap((f) =>
    !f.decoded
      ? [{ path: f.path, sourceKey: f.input.key }]
      : f.decoded.feed
        ? [{ path: f.decoded.feed, sourceKey: f.input.key }]
        : [],
  );
  for (const table of ['trip_updates', 'alerts'] as const) {
    if (!target.feeds?.includes(table)) continue;
    const keptFile = read.length > 0 ? target.keep.nextFile() : undefined;
    const counts: FeedBatchCounts = keptFile
      ? await feedLoaders[table](connection, read, {
          maxObjectSize: target.maxObjectSize,
          day: target.keep.day ?? null,
          keptFile,
        })
      : noFeedRows(table);
    for (const [key, n] of counts.rowsByKey) if (n > 0) keysWithRows.add(key);
    infos[table] = {
      rows: counts.rows,
      rejected: counts.rejected,
      outsideDay: counts.outsideDay,
      keptFiles: keptFile ? [keptFile] : [],
    };
  }
  return { infos, keysWithRows };
}

function severalDocuments(file: ReadyFile): SkippedKey {
  return {
    key: file.input.uri,
    reason: 'invalid_json',
    detail: 'more than one JSON document in the file (a snapshot is one object)',
  };
}

/** Turns per-file counts into the batch's result; files without vehicle rows are examined. */
async function accountFor(
  connection: DuckDBConnection,
  files: ReadyFile[],
  perFile: Record<string, unknown>[],
  target: BatchTarget,
  keysWithFeedRows: Set<string>,
): Promise<LoadInfo> {
  const byKey = new Map(perFile.map((r) => [String(r.source_key), r]));
  const result = emptyLoadInfo();
  const quiet: ReadyFile[] = [];
  for (const file of files) {
    const row = byKey.get(file.input.key);
    byKey.delete(file.input.key); // two files with one key (overlapping sources) count once
    if (row === undefined && keysWithFeedRows.delete(file.input.key)) addLoadInfo(result, { loaded: 1 });
    else if (row === undefined) quiet.push(file);
    else {
      addLoadInfo(result, {
        loaded: 1,
        rows: Number(row.vehicles),
        missingVehicleId: Number(row.missing_vehicle_id),
        missingTimestamp: Number(row.missing_timestamp),
        outsideDay: Number(row.outside_day),
      });
    }
  }
  if (quiet.length > 0)
    addLoadInfo(result, await splitOnFailure(quiet, (part) => checkQuietFiles(connection, part, target)));
  return result;
}

/** A skip entry for a file DuckDB refused, in the user's terms (the key, not the cache path). */
async function describeReadFailure(file: ReadyFile, err: unknown): Promise<SkippedKey> {
  let detail = oneLine(err).replace(/^[A-Za-z ]+Error: /, '');
  for (const path of [file.path, file.decoded?.vehicles?.file, file.decoded?.feed])
    if (path) detail = detail.replaceAll(` in file "${path}"`, '').replaceAll(path, file.input.key);
  // The loader names a file .gz exactly when its bytes are gzip (see fetchInput).
  const gzipFault = file.path.endsWith('.gz') ? await findGzipFault(file.path) : null;
  return gzipFault
    ? {
        key: file.input.uri,
        reason: 'corrupt_gzip',
        detail: `gzip data is corrupt or truncated: ${gzipFault}`,
      }
    : { key: file.input.uri, reason: readFailureReason(detail), detail };
}

/**
 * Runs `read` over the files; if DuckDB rejects them (a corrupt or malformed file), they are halved
 * until the bad files are alone, so only they are skipped, each with DuckDB's own words as the
 * detail. A few bad files among hundreds cost a few extra reads. Running out of memory or being
 * interrupted is not a bad file: those errors arrive typed (src/db/duckdbErrors.ts) and go on up.
 */
async function splitOnFailure(
  files: ReadyFile[],
  read: (files: ReadyFile[]) => Promise<LoadInfo>,
): Promise<LoadInfo> {
  try {
    return await read(files);
  } catch (err) {
    if (err instanceof RtlakeError) throw err; // out of memory, interrupted: not a bad file
    if (files.length === 1)
      return { ...emptyLoadInfo(), skipped: [await describeReadFailure(files[0]!, err)] };
  }
  const middle = Math.ceil(files.length / 2);
  const total = await splitOnFailure(files.slice(0, middle), read);
  return addLoadInfo(total, await splitOnFailure(files.slice(middle), read));
}

/**
 * Loads a batch of files in one streaming read (see runBatch); bad files are skipped alone. `last`:
 * no batch follows, so its winners stay in DuckDB (sql/ingest/05_last_batch_winners.sql) instead of
 * a Parquet file; run_pings reads them either way.
 */
export async function loadBatch(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
  last = false,
): Promise<LoadInfo> {
  const result = await splitOnFailure(files, (part) => runBatch(connection, part, target, last));
  result.bytes += files.reduce((sum, f) => sum + f.bytes, 0);
  return result;
}
