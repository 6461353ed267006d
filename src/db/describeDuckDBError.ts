/**
 * DuckDB's error for a person: the first line, without the C++ exception prefix noise, e.g.
 * "Catalog Error: Table with name foo does not exist! Did you mean "pings"?".
 */
export function describeDuckDBError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0] ?? 'unknown error';
  // Keep DuckDB's "LINE 1: ..." caret context short: the first line says what is wrong.
  return first.replace(/^Error: /, '');
}
