import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * What a run shares with the process it lives in: standard output (with back-pressure, and a reader
 * that went away), the interrupt signal (SIGINT/SIGTERM), and the progress line that must be ended
 * before results are printed. main.ts installs it; commands use writeOut, runSignal and onInterrupt.
 */

/** Thrown by writeOut once the reader of stdout has gone (`| head` quit): the run ends quietly. */
export class StdoutClosed extends Error {
  constructor() {
    super('standard output was closed');
  }
}

const controller = new AbortController();
/** Aborted on SIGINT/SIGTERM; passed to every stage that can stop early. */
export const runSignal: AbortSignal = controller.signal;

let stdoutClosed = false;
let endProgress: (() => void) | undefined;
const interruptHooks = new Set<() => void>();

let debug = false;
/** --debug (RTLAKE_DEBUG is read by config.ts): stack traces for internal errors. */
export const setDebug = (on: boolean): void => void (debug = debug || on);
export const isDebug = (): boolean => debug;

export const isStdoutClosed = (): boolean => stdoutClosed;

/** The progress renderer in use: ended (its line finished) before anything goes to stdout. */
export function setProgressEnd(end: (() => void) | undefined): void {
  endProgress = end;
}

export function finishProgress(): void {
  endProgress?.();
}

/** Runs `hook` on interrupt (interrupting DuckDB, say); returns the function that removes it. */
export function onInterrupt(hook: () => void): () => void {
  if (runSignal.aborted) hook();
  interruptHooks.add(hook);
  return () => interruptHooks.delete(hook);
}

/** Writes to stdout, waiting while the reader is slower than we are. */
export async function writeOut(text: string, stream: Writable = process.stdout): Promise<void> {
  if (stdoutClosed) throw new StdoutClosed();
  finishProgress();
  if (stream.write(text)) return;
  await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
  if (stdoutClosed) throw new StdoutClosed();
}

function isBrokenPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Whether an error is the consequence of stdout's reader leaving (ours, or DuckDB's write failing). */
export function isClosedOutput(err: unknown): boolean {
  return err instanceof StdoutClosed || isBrokenPipe(err) || (stdoutClosed && err instanceof Error);
}

export interface ProcessHooks {
  /** How long an interrupted run may take to clean up before it is cut short. */
  graceMs?: number;
  onForcedExit: () => void;
}

/** Installs the EPIPE and signal handlers; returns their removal. */
export function installProcessHandlers(hooks: ProcessHooks): () => void {
  const onStdoutError = (err: unknown) => {
    if (isBrokenPipe(err)) {
      stdoutClosed = true;
      for (const h of interruptHooks) h();
      return;
    }
    throw err;
  };
  process.stdout.on('error', onStdoutError);
  const onSignal = () => {
    if (controller.signal.aborted) {
      // A second Ctrl+C: the user does not want to wait for the clean-up.
      hooks.onForcedExit();
      return;
    }
    finishProgress();
    controller.abort();
    for (const h of interruptHooks) h();
    setTimeout(hooks.onForcedExit, hooks.graceMs ?? 15_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.stdout.off('error', onStdoutError);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
