import type { DuckDBConnection } from '@duckdb/node-api';
import { oneLine } from '../errors.js';
import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sqlInteger, sqlStringList, sqlStringRows } from '../db/sqlText.js';
import type { ReadyFile } from './fetchInputs.js';
import { findGzipFault } from './findGzipFault.js';
import { classifyReadError, type SkipReason, type SkippedKey } from './skipReasons.js';

export interface BatchResult {
  loaded: number;
  skipped: SkippedKey[];
  /** entity[].vehicle rows appended to pings. */
  rows: number;
  /** Entities that are not vehicles (e.g. `entity: [{}]`), counted but not rows. */
  otherEntities: number;
}

/** Creates the pings / load_files / lake_existing tables. */
export async function createLoadTables(connection: DuckDBConnection): Promise<void> {
  await runSqlFile(connection, '00_schema');
}

/** What a file that added no vehicle row is, from sql/12_check_files.sql. */
function classifyQuietFile(row: Record<string, unknown> | undefined): { reason: SkipReason; detail: string } | { entities: number } {
  if (!row) return { reason: 'empty', detail: 'no JSON object in the file' };
  if (!row.has_header) return { reason: 'not_a_feed', detail: 'JSON without a GTFS-realtime header' };
  if (!row.has_entity_list) return { reason: 'no_entity_list', detail: 'the feed has no entity list' };
  const tripUpdates = Number(row.trip_updates);
  const alerts = Number(row.alerts);
  if (Number(row.vehicles) === 0 && tripUpdates + alerts > 0) {
    return { reason: 'not_vehicle_positions', detail: `${tripUpdates} trip_update and ${alerts} alert entities, no vehicle` };
  }
  return { entities: Number(row.entities) };
}

async function checkQuietFiles(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  const rows = await readSqlFile(connection, '12_check_files', {
    files: sqlStringList(files.map((f) => f.path)),
    max_object_size: sqlInteger(maxObjectSize),
  });
  const byPath = new Map(rows.map((r) => [String(r.file_path), r]));
  const result: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
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

async function runBatch(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  const before = Number((await readSqlFile(connection, '13_ping_count'))[0]!.rows);
  await connection.run('BEGIN TRANSACTION');
  let perFile: Record<string, unknown>[];
  try {
    await runSqlFile(connection, '10_load_batch', {
      files: sqlStringList(files.map((f) => f.path)),
      keys: sqlStringRows(files.map((f) => [f.path, f.input.sourceKey])),
      max_object_size: sqlInteger(maxObjectSize),
    });
    perFile = await readSqlFile(connection, '11_batch_file_checks', { first_rowid: sqlInteger(before) });
    const several = perFile.filter((r) => r.several_documents).map((r) => String(r.source_key));
    if (several.length > 0) {
      await runSqlFile(connection, '14_drop_batch_files', { first_rowid: sqlInteger(before), keys: sqlStringList(several) });
    }
    await connection.run('COMMIT');
  } catch (err) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const vehicles = new Map(perFile.map((r) => [String(r.source_key), Number(r.vehicles)]));
  const severalDocuments = new Set(perFile.filter((r) => r.several_documents).map((r) => String(r.source_key)));
  const result: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
  const quiet: ReadyFile[] = [];
  for (const file of files) {
    const n = vehicles.get(file.input.sourceKey);
    if (severalDocuments.has(file.input.sourceKey)) {
      result.skipped.push({ key: file.input.uri, reason: 'invalid_json', detail: 'more than one JSON document in the file (a snapshot is one object)' });
      vehicles.delete(file.input.sourceKey);
    } else if (n === undefined) quiet.push(file);
    else {
      result.loaded += 1;
      result.rows += n;
      vehicles.delete(file.input.sourceKey); // two files with one key (overlapping sources) count once
    }
  }
  if (quiet.length > 0) {
    const checked = await loadQuietFiles(connection, quiet, maxObjectSize);
    result.loaded += checked.loaded;
    result.otherEntities += checked.otherEntities;
    result.skipped.push(...checked.skipped);
  }
  return result;
}

/** Checks files that added no row; a file DuckDB cannot read at all is skipped with its reason. */
async function loadQuietFiles(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  try {
    return await checkQuietFiles(connection, files, maxObjectSize);
  } catch (err) {
    if (files.length === 1) return { loaded: 0, skipped: [await describeReadFailure(files[0]!, err)], rows: 0, otherEntities: 0 };
  }
  const total: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
  for (const file of files) addResult(total, await loadQuietFiles(connection, [file], maxObjectSize));
  return total;
}

function addResult(total: BatchResult, one: BatchResult): void {
  total.loaded += one.loaded;
  total.rows += one.rows;
  total.otherEntities += one.otherEntities;
  total.skipped.push(...one.skipped);
}

/** A skip entry for a file DuckDB refused, in the user's terms (the key, not the cache path). */
async function describeReadFailure(file: ReadyFile, err: unknown): Promise<SkippedKey> {
  const detail = oneLine(err)
    .replace(/^[A-Za-z ]+Error: /, '')
    .replaceAll(` in file "${file.path}"`, '')
    .replaceAll(file.path, file.input.sourceKey);
  // The loader names a file .gz exactly when its bytes are gzip (see fetchInputs).
  const gzipFault = file.path.endsWith('.gz') ? await findGzipFault(file.path) : null;
  return gzipFault
    ? { key: file.input.uri, reason: 'corrupt_gzip', detail: `gzip data is corrupt or truncated: ${gzipFault}` }
    : { key: file.input.uri, reason: classifyReadError(detail), detail };
}

/**
 * Loads a batch of files in one streaming read. If DuckDB rejects the batch (a corrupt or
 * malformed file), the batch is halved until the bad files are alone, so only they are skipped,
 * each with DuckDB's own words as the detail.
 */
export async function loadBatch(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  try {
    return await runBatch(connection, files, maxObjectSize);
  } catch (err) {
    if (files.length === 1) return { loaded: 0, skipped: [await describeReadFailure(files[0]!, err)], rows: 0, otherEntities: 0 };
  }
  // Halve until the bad files are alone: a few bad files among hundreds cost a few extra reads.
  const middle = Math.ceil(files.length / 2);
  const total: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
  addResult(total, await loadBatch(connection, files.slice(0, middle), maxObjectSize));
  addResult(total, await loadBatch(connection, files.slice(middle), maxObjectSize));
  return total;
}
