import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSql, sqlDir } from '../../src/db/runSqlFile.js';
import { sqlStringList } from '../../src/db/sqlText.js';
import { grainColumns, type DedupeGrain } from '../../src/pipeline/dedupeRule.js';

const checksDir = join(sqlDir, 'checks');

/**
 * Runs every query of sql/checks/ over the lake's partition files and returns the offending rows
 * of each check that found any (an empty object: every check passed). The checks are the lake's
 * invariants: one row per ping under the grain, one row per lineage, every ping in its own UTC day.
 */
export async function lakeCheckFailures(
  files: string[],
  grain: DedupeGrain = 'key',
): Promise<Record<string, Record<string, unknown>[]>> {
  const failures: Record<string, Record<string, unknown>[]> = {};
  if (files.length === 0) return failures;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const name of readdirSync(checksDir)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const text = renderSql(readFileSync(join(checksDir, name), 'utf8'), {
        files: sqlStringList(files),
        grain_columns: grainColumns(grain),
      });
      const rows = (await connection.runAndReadAll(text)).getRowObjectsJson() as Record<string, unknown>[];
      if (rows.length > 0) failures[name] = rows.slice(0, 5);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return failures;
}

/** Throws, naming the check and its first offending rows, unless every check passes. */
export async function assertLakeChecks(files: string[], grain: DedupeGrain = 'key'): Promise<void> {
  const failures = await lakeCheckFailures(files, grain);
  if (Object.keys(failures).length > 0)
    throw new Error(`sql/checks/ found offending rows in the lake: ${JSON.stringify(failures)}`);
}

/** The checks over a local lake folder (what ingest --out was given). */
export async function checkLake(lakeDir: string, grain: DedupeGrain = 'key'): Promise<void> {
  const table = join(lakeDir, 'vehicle_positions');
  const files = readdirSync(table, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name));
  if (files.length === 0) throw new Error(`no Parquet file under ${table}`);
  await assertLakeChecks(files, grain);
}
