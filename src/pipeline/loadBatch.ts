import type { DuckDBConnection } from '@duckdb/node-api';
import { oneLine } from '../errors.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import {
  type SqlFragment,
  sqlDate,
  sqlInteger,
  sqlString,
  sqlStringList,
  sqlStringRows,
} from '../db/sqlText.js';
import type { Day } from './dayMode.js';
import { ruleSlots, type DedupeRule } from './dedupeRule.js';
import type { ReadyFile } from './fetchInputs.js';
import { findGzipFault } from './findGzipFault.js';
import { classifyReadError, type SkipReason, type SkippedKey } from './skipReasons.js';

export interface BatchResult {
  loaded: number;
  skipped: SkippedKey[];
  /** entity[].vehicle rows read from the batch's loaded files. */
  rows: number;
  /** Of those: rows without a vehicle id, and with one but without a usable timestamp. */
  missingVehicleId: number;
  missingTimestamp: number;
  /** Day mode: valid rows whose timestamp falls on another day (left to that day's job). */
  outsideDay: number;
  /** Entities that are not vehicles (e.g. `entity: [{}]`), counted but not rows. */
  otherEntities: number;
  /** Parquet files holding the batch's winners (when not every row is kept). */
  keptFiles: string[];
}

/** What a batch's rows become in pings. */
export interface BatchTarget {
  maxObjectSize: number;
  /**
   * `all`: every row as read, appended to pings (dedupe reports, the workbench over raw sources).
   * A rule: only the batch's winners under it, optionally of one UTC day only, written to a new
   * Parquet file named by `nextFile` (sql/16_keep_batch_winners.sql).
   */
  keep: 'all' | { rule: DedupeRule; day?: Day; nextFile: () => string };
}

const emptyResult = (): BatchResult => ({
  loaded: 0,
  skipped: [],
  rows: 0,
  missingVehicleId: 0,
  missingTimestamp: 0,
  outsideDay: 0,
  otherEntities: 0,
  keptFiles: [],
});

function daySlot(target: BatchTarget): SqlFragment {
  return sqlDate(target.keep === 'all' ? null : (target.keep.day ?? null));
}

/** Creates the load tables. */
export async function createLoadTables(connection: DuckDBConnection): Promise<void> {
  await runSqlFile(connection, '00_schema');
}

/** After the last batch: run_pings over the batches' winner files (ingest). */
export async function finishKeptRows(
  connection: DuckDBConnection,
  keptFiles: readonly string[],
): Promise<void> {
  if (keptFiles.length === 0) await runSqlFile(connection, '18_no_run_pings');
  else await runSqlFile(connection, '17_run_pings', { files: sqlStringList(keptFiles) });
}

/** What a file that added no vehicle row is, from sql/12_check_files.sql. */
function classifyQuietFile(
  row: Record<string, unknown> | undefined,
): { reason: SkipReason; detail: string } | { entities: number } {
  if (!row) return { reason: 'empty', detail: 'no JSON object in the file' };
  if (!row.has_header) return { reason: 'not_a_feed', detail: 'JSON without a GTFS-realtime header' };
  if (!row.has_entity_list) return { reason: 'no_entity_list', detail: 'the feed has no entity list' };
  const tripUpdates = Number(row.trip_updates);
  const alerts = Number(row.alerts);
  if (Number(row.vehicles) === 0 && tripUpdates + alerts > 0) {
    return {
      reason: 'not_vehicle_positions',
      detail: `${tripUpdates} trip_update and ${alerts} alert entities, no vehicle`,
    };
  }
  return { entities: Number(row.entities) };
}

async function checkQuietFiles(
  connection: DuckDBConnection,
  files: ReadyFile[],
  maxObjectSize: number,
): Promise<BatchResult> {
  const rows = await readSqlFile(connection, '12_check_files', {
    files: sqlStringList(files.map((f) => f.path)),
    max_object_size: sqlInteger(maxObjectSize),
  });
  const byPath = new Map(rows.map((r) => [String(r.file_path), r]));
  const result = emptyResult();
  for (const file of files) {
    const verdict = classifyQuietFile(byPath.get(file.path));
    if ('reason' in verdict) result.skipped.push({ key: file.input.uri, ...verdict });
    else {
      result.loaded += 1;
      result.otherEntities += verdict.entities;
    }
  }
  return result;
}

/**
 * One streaming statement reads the batch (sql/10_load_batch.sql through sql/11 or 13), then every
 * file is counted (sql/14_batch_counts.sql). Ingest keeps the batch's winners in a new Parquet file
 * that counts only once written; dedupe reports and the workbench append every row to pings. A file holding several JSON documents is skipped, and
 * the batch is read again without it: its rows may have beaten other files' rows.
 */
async function runBatch(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
): Promise<BatchResult> {
  if (files.length === 0) return emptyResult();
  await runSqlFile(connection, '10_load_batch', {
    files: sqlStringList(files.map((f) => f.path)),
    keys: sqlStringRows(files.map((f) => [f.path, f.input.key])),
    max_object_size: sqlInteger(target.maxObjectSize),
    day: daySlot(target),
  });
  if (target.keep === 'all') await runSqlFile(connection, '13_batch_every_row');
  else await runSqlFile(connection, '11_batch_winners', ruleSlots(target.keep.rule));
  const perFile = await readSqlFile(connection, '14_batch_counts');
  const several = new Set(perFile.filter((r) => Number(r.documents) > 1).map((r) => String(r.source_key)));
  if (several.size > 0) {
    await connection.run('DROP TABLE IF EXISTS batch_kept');
    const rest = await runBatch(
      connection,
      files.filter((f) => !several.has(f.input.key)),
      target,
    );
    for (const f of files) if (several.has(f.input.key)) rest.skipped.push(severalDocuments(f));
    return rest;
  }
  let keptFile: string | undefined;
  if (target.keep === 'all') await runSqlFile(connection, '15_append_batch');
  else {
    keptFile = target.keep.nextFile();
    await runSqlFile(connection, '16_keep_batch_winners', { kept_file: sqlString(keptFile) });
  }
  const result = await accountFor(
    connection,
    files,
    perFile.filter((r) => Number(r.vehicles) > 0),
    target,
  );
  if (keptFile) result.keptFiles.push(keptFile);
  return result;
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
): Promise<BatchResult> {
  const byKey = new Map(perFile.map((r) => [String(r.source_key), r]));
  const result = emptyResult();
  const quiet: ReadyFile[] = [];
  for (const file of files) {
    const row = byKey.get(file.input.key);
    byKey.delete(file.input.key); // two files with one key (overlapping sources) count once
    if (row === undefined) quiet.push(file);
    else {
      result.loaded += 1;
      result.rows += Number(row.vehicles);
      result.missingVehicleId += Number(row.missing_vehicle_id);
      result.missingTimestamp += Number(row.missing_timestamp);
      result.outsideDay += Number(row.outside_day);
    }
  }
  if (quiet.length > 0) addResult(result, await loadQuietFiles(connection, quiet, target.maxObjectSize));
  return result;
}

/** Checks files that added no row; a file DuckDB cannot read at all is skipped with its reason. */
async function loadQuietFiles(
  connection: DuckDBConnection,
  files: ReadyFile[],
  maxObjectSize: number,
): Promise<BatchResult> {
  try {
    return await checkQuietFiles(connection, files, maxObjectSize);
  } catch (err) {
    if (files.length === 1) return { ...emptyResult(), skipped: [await describeReadFailure(files[0]!, err)] };
  }
  const total = emptyResult();
  for (const file of files) addResult(total, await loadQuietFiles(connection, [file], maxObjectSize));
  return total;
}

function addResult(total: BatchResult, one: BatchResult): void {
  total.loaded += one.loaded;
  total.rows += one.rows;
  total.missingVehicleId += one.missingVehicleId;
  total.missingTimestamp += one.missingTimestamp;
  total.outsideDay += one.outsideDay;
  total.otherEntities += one.otherEntities;
  total.skipped.push(...one.skipped);
  total.keptFiles.push(...one.keptFiles);
}

/** A skip entry for a file DuckDB refused, in the user's terms (the key, not the cache path). */
async function describeReadFailure(file: ReadyFile, err: unknown): Promise<SkippedKey> {
  const detail = oneLine(err)
    .replace(/^[A-Za-z ]+Error: /, '')
    .replaceAll(` in file "${file.path}"`, '')
    .replaceAll(file.path, file.input.key);
  // The loader names a file .gz exactly when its bytes are gzip (see fetchInputs).
  const gzipFault = file.path.endsWith('.gz') ? await findGzipFault(file.path) : null;
  return gzipFault
    ? {
        key: file.input.uri,
        reason: 'corrupt_gzip',
        detail: `gzip data is corrupt or truncated: ${gzipFault}`,
      }
    : { key: file.input.uri, reason: classifyReadError(detail), detail };
}

/**
 * Loads a batch of files in one streaming read. If DuckDB rejects the batch (a corrupt or
 * malformed file), the batch is halved until the bad files are alone, so only they are skipped,
 * each with DuckDB's own words as the detail.
 */
export async function loadBatch(
  connection: DuckDBConnection,
  files: ReadyFile[],
  target: BatchTarget,
): Promise<BatchResult> {
  try {
    return await runBatch(connection, files, target);
  } catch (err) {
    if (files.length === 1) return { ...emptyResult(), skipped: [await describeReadFailure(files[0]!, err)] };
  }
  // Halve until the bad files are alone: a few bad files among hundreds cost a few extra reads.
  const middle = Math.ceil(files.length / 2);
  const total = emptyResult();
  addResult(total, await loadBatch(connection, files.slice(0, middle), target));
  addResult(total, await loadBatch(connection, files.slice(middle), target));
  return total;
}
