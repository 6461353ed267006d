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

async function runBatch(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await runSqlFile(connection, '10_load_batch', {
      files: sqlStringList(files.map((f) => f.path)),
      keys: sqlStringRows(files.map((f) => [f.path, f.input.sourceKey])),
      max_object_size: sqlInteger(maxObjectSize),
    });
    const perFile = await readSqlFile(connection, '11_batch_file_checks');
    await connection.run('COMMIT');
    const byPath = new Map(perFile.map((r) => [String(r.file_path), r]));
    const result: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
    for (const file of files) {
      const row = byPath.get(file.path);
      if (!row) {
        result.skipped.push({ key: file.input.uri, reason: 'empty', detail: 'no JSON object in the file' });
        continue;
      }
      const reason = row.skip_reason as SkipReason | null;
      if (reason) {
        result.skipped.push({ key: file.input.uri, reason, detail: String(row.detail) });
        continue;
      }
      result.loaded += 1;
      result.rows += Number(row.vehicles);
      result.otherEntities += Number(row.entities) - Number(row.vehicles);
    }
    return result;
  } catch (err) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Loads a batch of files in one streaming read. If DuckDB rejects the batch (a corrupt or
 * malformed file), each file is loaded on its own so that only the bad ones are skipped, each
 * with DuckDB's own words as the detail.
 */
export async function loadBatch(connection: DuckDBConnection, files: ReadyFile[], maxObjectSize: number): Promise<BatchResult> {
  try {
    return await runBatch(connection, files, maxObjectSize);
  } catch (err) {
    if (files.length === 1) {
      const file = files[0]!;
      // DuckDB names the local (cache) path; the key is what the user knows.
      const detail = oneLine(err)
        .replace(/^[A-Za-z ]+Error: /, '')
        .replaceAll(` in file "${file.path}"`, '')
        .replaceAll(file.path, file.input.sourceKey);
      // The loader names a file .gz exactly when its bytes are gzip (see fetchInputs).
      const gzipFault = file.path.endsWith('.gz') ? await findGzipFault(file.path) : null;
      const skipped: SkippedKey = gzipFault
        ? { key: file.input.uri, reason: 'corrupt_gzip', detail: `gzip data is corrupt or truncated: ${gzipFault}` }
        : { key: file.input.uri, reason: classifyReadError(detail), detail };
      return { loaded: 0, skipped: [skipped], rows: 0, otherEntities: 0 };
    }
  }
  const total: BatchResult = { loaded: 0, skipped: [], rows: 0, otherEntities: 0 };
  for (const file of files) {
    const one = await loadBatch(connection, [file], maxObjectSize);
    total.loaded += one.loaded;
    total.rows += one.rows;
    total.otherEntities += one.otherEntities;
    total.skipped.push(...one.skipped);
  }
  return total;
}
