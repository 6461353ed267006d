import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './sqlText.js';

/** The file formats DuckDB writes itself; `export`, `query --format` and the workbench share them. */
export type CopyFormat = 'csv' | 'json' | 'jsonl' | 'parquet';

/** COPY's options per format, written once so every writer makes the same bytes. */
export const copyOptions: Record<CopyFormat, string> = {
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
  json: 'FORMAT json, ARRAY true',
};

export type ExportFormat = 'csv' | 'parquet';

/** Writes a query's whole result to a file with COPY; returns the number of rows written. */
export async function exportQuery(
  connection: DuckDBConnection,
  sql: string,
  file: string,
  format: CopyFormat,
): Promise<number> {
  const reader = await connection.runAndReadAll(
    `COPY (${sql}) TO ${sqlString(file).text} (${copyOptions[format]})`,
  );
  const n = reader.getRows()[0]?.[0];
  return n === undefined || n === null ? 0 : Number(n);
}
