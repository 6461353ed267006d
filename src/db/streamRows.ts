import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from './duckdb.js';

export interface RowBatch {
  columns: string[];
  types: string[];
  /** Rows as JSON-safe values (BIGINT as string, timestamps as ISO-like text). */
  rows: unknown[][];
}

/**
 * Runs one SQL statement and hands its rows to `onBatch` chunk by chunk (DuckDB's vector size), so
 * a result of any size streams in bounded memory.
 */
export async function streamRows(
  connection: DuckDBConnection,
  sql: string,
  onBatch: (batch: RowBatch) => void | Promise<void>,
): Promise<void> {
  const result = await connection.stream(sql);
  const columns = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  const wideIntegers = types.flatMap((t, i) => (/^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/.test(t) ? [i] : []));
  let sent = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.convertRows(duckdb().JsonDuckDBValueConverter) as unknown[][];
    for (const i of wideIntegers) {
      for (const row of rows) {
        const v = row[i];
        // BIGINT arrives as text to survive JSON; give numbers back where they fit exactly.
        if (typeof v === 'string' && Number.isSafeInteger(Number(v))) row[i] = Number(v);
      }
    }
    await onBatch({ columns, types, rows });
    sent = true;
  }
  if (!sent) await onBatch({ columns, types, rows: [] });
}

/** One chunk of a result, kept as DuckDB's vectors until a row is asked for. */
export interface ResultChunk {
  rowCount: number;
  /** The chunk's rows as display text (DuckDB's own rendering of each value); null for NULL. */
  displayRows(): (string | null)[][];
}

export interface ResultStream {
  columns: string[];
  /** DuckDB's type names (VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE, …). */
  types: string[];
  chunks: AsyncIterable<ResultChunk>;
}

/**
 * Runs a script (every statement in order) and streams the last statement's result chunk by chunk,
 * converting a chunk's values only when its rows are asked for: a table of a million rows that
 * prints forty converts forty.
 */
export async function streamResult(connection: DuckDBConnection, sql: string): Promise<ResultStream> {
  const result = await connection.stream(sql);
  const columns = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  async function* chunks(): AsyncGenerator<ResultChunk> {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield {
        rowCount: chunk.rowCount,
        displayRows: () =>
          chunk.getRows().map((row) => row.map((v) => (v === null || v === undefined ? null : String(v)))),
      };
    }
  }
  return { columns, types, chunks: chunks() };
}
