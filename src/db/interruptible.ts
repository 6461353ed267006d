import type { DuckDBConnection } from '@duckdb/node-api';

/** Asks DuckDB to stop whatever the connections are running; their pending calls reject. */
export function interruptQueries(connections: readonly DuckDBConnection[]): void {
  for (const c of connections) c.interrupt();
}

/** The error DuckDB raises when a query was interrupted. */
export function isInterrupted(err: unknown): boolean {
  return /INTERRUPT Error|Interrupted!/i.test(err instanceof Error ? err.message : String(err));
}

const kinds: Record<string, string> = {
  Parser: 'syntax error',
  Binder: 'unknown name or wrong use',
  Catalog: 'no such table, view or function',
  Conversion: 'a value could not be converted',
  'Invalid Input': 'invalid input',
  IO: 'file error',
  'Out of Memory': 'out of memory',
  Constraint: 'constraint violated',
  'Not implemented': 'not supported',
  Permission: 'not allowed',
  Dependency: 'dependency',
  Transaction: 'transaction',
};

/**
 * A DuckDB error in plain words on one line: "syntax error: syntax error at or near "FORM" (line 1)".
 * DuckDB's messages carry a kind prefix ("Parser Error:") and a caret diagram; the diagram is dropped.
 */
export function describeQueryError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // extractStatements wraps parser errors: "Failed to extract statements: Parser Error: …".
  const m = /^([A-Za-z ]+?) Error: ([\s\S]*)$/.exec(
    text.trim().replace(/^Failed to extract statements:\s*/, ''),
  );
  const kind = m ? (kinds[m[1]!] ?? `${m[1]!.toLowerCase()} error`) : 'error';
  const body = (m ? m[2]! : text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\^+$/.test(l))
    .map((l) => l.replace(/^LINE (\d+):.*$/, '(line $1)'))
    .join(' ');
  return `${kind}: ${body}`.slice(0, 400);
}
