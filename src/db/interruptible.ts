import type { DuckDBConnection } from '@duckdb/node-api';

/** Asks DuckDB to stop whatever the connections are running; their pending calls reject. */
export function interruptQueries(connections: readonly DuckDBConnection[]): void {
  for (const c of connections) c.interrupt();
}
