import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './sqlText.js';

export type ExportFormat = 'csv' | 'parquet';

/** Writes a query's whole result to a file with COPY; returns the number of rows written. */
export async function exportQuery(
  connection: DuckDBConnection,
  sql: string,
  file: string,
  format: ExportFormat,
): Promise<number> {
  const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet)';
  const reader = await connection.runAndReadAll(`COPY (${sql}) TO ${sqlString(file).text} ${options}`);
  const n = reader.getRows()[0]?.[0];
  return n === undefined || n === null ? 0 : Number(n);
}
