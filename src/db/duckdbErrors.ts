import { tmpdir } from 'node:os';
import { InterruptedError, ResourceError, oneLine } from '../errors.js';

/**
 * DuckDB's errors, understood in one place: which are out of memory or disk, which are interrupts,
 * which file-read failures mean which skip reason, and how to say one to a person. rtlake's own
 * statements (runSqlFile) pass their errors through translateDuckDBError, so a ResourceError or an
 * InterruptedError reaches the CLI typed, with its exit code.
 */

/** Whether a DuckDB error says it ran out of memory or of the disk it spills to. */
export function isOutOfResources(err: unknown): boolean {
  return /Out of Memory Error|could not allocate|No space left on device/i.test(oneLine(err));
}

/** The error DuckDB raises when a query was interrupted. */
export function isInterrupted(err: unknown): boolean {
  return /INTERRUPT Error|Interrupted!/i.test(err instanceof Error ? err.message : String(err));
}

/**
 * Out of memory or spill space becomes a ResourceError (exit 9) that says what to change; an
 * interrupt an InterruptedError (exit 130); any other error is returned as it is, for the caller,
 * which knows what its statement was doing, to name.
 */
export function translateDuckDBError(err: unknown): unknown {
  if (isOutOfResources(err)) {
    return new ResourceError(
      `DuckDB ran out of memory or spill space within --memory-limit (${oneLine(err)
        .replace(/\s*Possible solutions:.*$/, '')
        .slice(
          0,
          160,
        )}); raise --memory-limit, lower --threads, or free disk under ${tmpdir()}. Over raw --source archives (dedupe, query, tui) every row read is held: narrow --glob, or ingest first and open the lake with --lake`,
      { cause: err },
    );
  }
  if (isInterrupted(err)) return new InterruptedError('interrupted', { cause: err });
  return err;
}

/** The skip reason of a file DuckDB could not read, from its error message. */
export function readFailureReason(
  message: string,
): 'corrupt_gzip' | 'not_utf8' | 'too_large' | 'wrong_shape' | 'invalid_json' {
  const m = message.toLowerCase();
  if (/gzip|zlib|inflate|decompress|compressed/.test(m)) return 'corrupt_gzip';
  if (/utf-?8|unicode|byte sequence/.test(m)) return 'not_utf8';
  if (/maximum_object_size|maximum object size/.test(m)) return 'too_large';
  if (
    /could not convert|conversion|cast|expected .*(object|array|list|struct)|type mismatch|failed to parse .* as/.test(
      m,
    )
  )
    return 'wrong_shape';
  return 'invalid_json';
}

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
