import { isOutOfResources } from '../db/duckdbErrors.js';
import { ExitCode, RtlakeError, oneLine } from '../errors.js';
import {
  finishProgress,
  installProcessHandlers,
  isClosedOutput,
  isDebug,
  isStdoutClosed,
  runSignal,
} from './runtime.js';

/**
 * Runs the CLI; the only place that turns errors into messages and exit codes. Every message
 * starts with "rtlake:" and is one line; a closed stdout ends the run quietly with 0; an interrupt
 * (SIGINT/SIGTERM) ends it with one line and 130 once the command has cleaned up.
 */
export async function main(argv: string[] = process.argv): Promise<number> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    // Answered before the commands (and with them DuckDB and the AWS SDK) are loaded.
    const { readVersion } = await import('./version.js');
    process.stdout.write(`${readVersion()}\n`);
    return ExitCode.ok;
  }
  const removeHandlers = installProcessHandlers({
    onForcedExit: () => {
      process.stderr.write('rtlake: interrupted\n');
      process.exit(ExitCode.interrupted);
    },
  });
  try {
    const [{ buildProgram }, { CommanderError }] = await Promise.all([
      import('./program.js'),
      import('commander'),
    ]);
    try {
      await buildProgram().parseAsync(argv);
      finishProgress();
      return settle(ExitCode.ok);
    } catch (err) {
      finishProgress();
      if (runSignal.aborted) return settle(ExitCode.interrupted);
      if (isStdoutClosed() || isClosedOutput(err)) return ExitCode.ok;
      if (err instanceof CommanderError) {
        if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code))
          return ExitCode.ok;
        return ExitCode.usage; // commander already printed its one line (see formatCommanderError)
      }
      return report(err);
    }
  } finally {
    removeHandlers();
  }
}

/** The code of a run that ended, unless it was interrupted on the way. */
function settle(code: number): number {
  if (!runSignal.aborted) return code;
  process.stderr.write('rtlake: interrupted\n');
  return ExitCode.interrupted;
}

function report(err: unknown): number {
  if (err instanceof RtlakeError) {
    process.stderr.write(`rtlake: ${oneLine(err)}\n`);
    return err.exitCode;
  }
  if (isOutOfResources(err)) {
    // Until src/db raises ResourceError for every DuckDB out-of-memory error: dedupe and the
    // workbench over raw sources hold every row read, so a large archive can exceed DuckDB's share.
    process.stderr.write(
      `rtlake: DuckDB ran out of memory or spill space (${oneLine(err).slice(0, 120)}); over raw sources every row is held: narrow --glob, or ingest first and open the lake with --lake\n`,
    );
    return ExitCode.resources;
  }
  process.stderr.write(`rtlake: internal error: ${oneLine(err)} (please report this; --debug shows where)\n`);
  if (isDebug()) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return ExitCode.internal;
}
