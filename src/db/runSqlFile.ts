import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translateDuckDBError } from './duckdbErrors.js';
import type { SlotArgs, SqlFile } from './sqlFiles.js';
import { SqlFragment } from './sqlText.js';

/** The sql/ folder of the package (beside dist/ and src/). */
export const sqlDir = fileURLToPath(new URL('../../sql/', import.meta.url));

const cache = new Map<string, string>();

/** Reads sql/<name>.sql once. */
export function loadSql(name: SqlFile): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(sqlDir, `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * Fills the {{name}} slots of a sql/ template with fragments. Every slot must be given and every
 * fragment must have been made by sqlText's quoting helpers, so no unquoted text reaches SQL.
 */
export function renderSql(template: string, vars: Record<string, SqlFragment> = {}): string {
  // Whole-line comments go first, so a slot named in a comment is never filled (a value with a
  // newline in it must not be able to end a comment).
  const code = template
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return code.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (_m, name: string) => {
    const value = vars[name];
    if (!(value instanceof SqlFragment)) throw new TypeError(`sql template slot {{${name}}} was not given`);
    return value.text;
  });
}

/** Renders sql/<name>.sql and runs it (all its statements); returns the last statement's result. */
export async function runSqlFile<F extends SqlFile>(
  connection: DuckDBConnection,
  name: F,
  ...vars: SlotArgs<F>
): Promise<DuckDBMaterializedResult> {
  const text = renderSql(loadSql(name), vars[0] ?? {});
  return connection.run(text).catch((err: unknown) => {
    throw translateDuckDBError(err);
  });
}

/** Like runSqlFile, and returns the rows of the last statement as JSON-safe objects. */
export async function readSqlFile<F extends SqlFile>(
  connection: DuckDBConnection,
  name: F,
  ...vars: SlotArgs<F>
): Promise<Record<string, unknown>[]> {
  const text = renderSql(loadSql(name), vars[0] ?? {});
  const reader = await connection.runAndReadAll(text).catch((err: unknown) => {
    throw translateDuckDBError(err);
  });
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
