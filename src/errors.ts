/**
 * One error hierarchy for rtlake. Library code throws these; src/cli turns them into a
 * one-line message on stderr and the exit code below. Nothing else in src/ exits.
 */

/** Exit codes, listed in the README. */
export const ExitCode = {
  ok: 0,
  /** Unexpected internal error (a bug): the message says so. */
  internal: 1,
  /** Bad command-line input: unknown flag, malformed URL, missing folder, bad date. */
  usage: 2,
  /** The source listed nothing, or the glob matched no key. */
  noInput: 3,
  /** Some keys failed (after retries) or, with --strict, some were skipped. Nothing was written. */
  partial: 4,
  /** Credentials, permissions, a missing bucket or an unreachable endpoint. */
  access: 5,
  /** The output could not be written (local folder, or S3 upload). */
  output: 6,
  /** A concurrent writer changed a partition under us (conditional write refused). */
  conflict: 7,
  /** A SQL error in `query` or the workbench. */
  query: 8,
  /** DuckDB ran out of memory within --memory-limit (or out of disk while spilling). */
  resources: 9,
  /** Interrupted by the user (Ctrl+C / SIGINT). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class RtlakeError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** The user asked for something impossible: fix the command line. */
export class UsageError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

/** Nothing to do: an empty listing or a glob matching nothing. */
export class NoInputError extends RtlakeError {
  constructor(message: string) {
    super(message, ExitCode.noInput);
  }
}

/** Credentials, permissions, missing bucket, bad endpoint: retrying will not help. */
export class AccessError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.access, options);
  }
}

/** Writing the lake failed. */
export class OutputError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.output, options);
  }
}

/** Another writer changed the partition between our read and our write. */
export class ConflictError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.conflict, options);
  }
}

/** Some inputs failed; the run wrote nothing. `summary` is the partial run summary. */
export class PartialFailureError extends RtlakeError {
  readonly summary: unknown;
  constructor(message: string, summary: unknown) {
    super(message, ExitCode.partial);
    this.summary = summary;
  }
}

/** A SQL statement failed (user SQL in `query` / the workbench, or a transform). */
export class QueryError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.query, options);
  }
}

/** DuckDB could not finish within its memory limit or the disk it spills to. */
export class ResourceError extends RtlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.resources, options);
  }
}

/** The run was interrupted. */
export class InterruptedError extends RtlakeError {
  constructor(message = 'interrupted', options?: { cause?: unknown }) {
    super(message, ExitCode.interrupted, options);
  }
}

/** First line of any thrown value's message, for one-line reports. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 500);
}
