import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSql, sqlDir } from '../../src/db/runSqlFile.js';
import { sqlStringList } from '../../src/db/sqlText.js';
import { grainColumns, type DedupeGrain } from '../../src/pipeline/dedupeRule.js';

const checksDir = join(sqlDir, 'checks');

/** The lake tables beside vehicle_positions, whose checks are in sql/checks/<table>/. */
export type FeedCheckTable = 'trip_updates' | 'alerts';

/** Runs every .sql of `folder` over `files`; the offending rows of each check that found any. */
async function runChecks(
  folder: string,
  files: string[],
  slots: Parameters<typeof renderSql>[1],
): Promise<Record<string, Record<string, unknown>[]>> {
  const failures: Record<string, Record<string, unknown>[]> = {};
  if (files.length === 0) return failures;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const name of readdirSync(folder)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const text = renderSql(readFileSync(join(folder, name), 'utf8'), slots);
      const rows = (await connection.runAndReadAll(text)).getRowObjectsJson() as Record<string, unknown>[];
      if (rows.length > 0) failures[name] = rows.slice(0, 5);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return failures;
}

/**
 * Runs every query of sql/checks/ over the lake's vehicle_positions partition files and returns the
 * offending rows of each check that found any (an empty object: every check passed). The checks are
 * the lake's invariants: one row per ping under the grain, one row per lineage, every ping in its
 * own UTC day.
 */
export async function lakeCheckFailures(
  files: string[],
  grain: DedupeGrain = 'key',
): Promise<Record<string, Record<string, unknown>[]>> {
  return runChecks(checksDir, files, { files: sqlStringList(files), grain_columns: grainColumns(grain) });
}

/**
 * The checks of trip_updates or alerts (sql/checks/<table>/): one row per prediction or alert
 * version under the table's rule, one row per lineage, every row in its own UTC day.
 */
export async function feedCheckFailures(
  table: FeedCheckTable,
  files: string[],
): Promise<Record<string, Record<string, unknown>[]>> {
  return runChecks(join(checksDir, table), files, { files: sqlStringList(files) });
}

/** Throws, naming the check and its first offending rows, unless every check passes. */
export async function assertLakeChecks(files: string[], grain: DedupeGrain = 'key'): Promise<void> {
  const failures = await lakeCheckFailures(files, grain);
  if (Object.keys(failures).length > 0)
    throw new Error(`sql/checks/ found offending rows in the lake: ${JSON.stringify(failures)}`);
}

/** The partition files under one table folder of a local lake (none when it is absent). */
export function tableFiles(lakeDir: string, table: string): string[] {
  const folder = join(lakeDir, table);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The checks over a local lake folder (what ingest --out was given): vehicle_positions' (which it
 * must hold), and those of trip_updates and alerts for each of them the lake holds.
 */
export async function checkLake(lakeDir: string, grain: DedupeGrain = 'key'): Promise<void> {
  const files = tableFiles(lakeDir, 'vehicle_positions');
  if (files.length === 0) throw new Error(`no Parquet file under ${join(lakeDir, 'vehicle_positions')}`);
  await assertLakeChecks(files, grain);
  await checkFeedTables(lakeDir);
}

/** Throws, naming the check and its first offending rows, unless the table's checks pass. */
export async function assertFeedChecks(lakeDir: string, table: FeedCheckTable): Promise<void> {
  const failures = await feedCheckFailures(table, tableFiles(lakeDir, table));
  if (Object.keys(failures).length > 0)
    throw new Error(`sql/checks/${table}/ found offending rows in the lake: ${JSON.stringify(failures)}`);
}

/** The trip_updates and alerts checks for each of those tables a local lake holds. */
export async function checkFeedTables(lakeDir: string): Promise<void> {
  for (const table of ['trip_updates', 'alerts'] as const) await assertFeedChecks(lakeDir, table);
}
