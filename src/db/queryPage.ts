import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api';

/** One cell as the workbench shows it: text, or null for SQL NULL. */
export type Cell = string | null;

export interface QueryPage {
  columns: string[];
  types: string[];
  rows: Cell[][];
  /** More rows exist beyond those returned so far. */
  hasMore: boolean;
}

/** An open, streaming result: pages are read from it on demand, never the whole result. */
export interface QueryCursor extends QueryPage {
  /** Reads up to `limit` more rows (plus one to know whether more exist). */
  more(limit: number): Promise<{ rows: Cell[][]; hasMore: boolean }>;
}

export function cellText(v: DuckDBValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

/**
 * Runs SQL (every statement; the last one's result is streamed) and reads at most `limit` rows,
 * plus one to tell "500 of >500" from "500". DuckDB produces rows a chunk (2048) at a time, so at
 * most one chunk beyond the page is held. A later query on the same connection closes the stream.
 */
export async function openQueryPage(
  connection: DuckDBConnection,
  sql: string,
  limit: number,
): Promise<QueryCursor> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count === 0) throw new Error('nothing to run: the text holds no SQL statement');
  for (let i = 0; i < extracted.count - 1; i++) {
    await (await extracted.prepare(i)).run();
  }
  const result: DuckDBResult = await (await extracted.prepare(extracted.count - 1)).stream();
  const columns = result.columnNames();
  const types = result.columnTypes().map((t) => String(t));
  let chunk: DuckDBDataChunk | null = null;
  let chunkRow = 0;
  let finished = false;

  async function take(n: number): Promise<Cell[][]> {
    const out: Cell[][] = [];
    while (out.length < n && !finished) {
      if (!chunk || chunkRow >= chunk.rowCount) {
        chunk = await result.fetchChunk();
        chunkRow = 0;
        if (!chunk || chunk.rowCount === 0) {
          finished = true;
          chunk = null;
          break;
        }
      }
      const end = Math.min(chunk.rowCount, chunkRow + (n - out.length));
      for (let r = chunkRow; r < end; r++) out.push(chunk.getRowValues(r).map(cellText));
      chunkRow = end;
    }
    return out;
  }

  async function page(n: number): Promise<{ rows: Cell[][]; hasMore: boolean }> {
    const rows = await take(n);
    if (rows.length < n || finished) return { rows, hasMore: false };
    // Peek: is there at least one more row? It stays in the chunk for the next page.
    if (chunk && chunkRow < chunk.rowCount) return { rows, hasMore: true };
    chunk = await result.fetchChunk();
    chunkRow = 0;
    if (!chunk || chunk.rowCount === 0) {
      finished = true;
      chunk = null;
      return { rows, hasMore: false };
    }
    return { rows, hasMore: true };
  }

  const first = await page(limit);
  return { columns, types, rows: first.rows, hasMore: first.hasMore, more: page };
}
