import { Command, CommanderError } from 'commander';
import { ExitCode, PartialFailureError, RtlakeError, isOutOfResources, oneLine } from '../errors.js';
import { registerIngest } from './ingestCommand.js';
import { registerDemo } from './demoCommand.js';
import { registerTui } from './tuiCommand.js';
import { registerDedupe } from './dedupeCommand.js';
import { registerQuery } from './queryCommand.js';
import { registerCatalog } from './catalogCommand.js';
import { registerExport } from './exportCommand.js';
import { registerPlan } from './planCommand.js';

const io = {
  stdout: (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
};

export function buildProgram(): Command {
  const program = new Command('rtlake')
    .description(
      'GTFS-realtime VehiclePositions archives (S3 or a folder) -> deduplicated, partitioned Parquet lake',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  registerIngest(program, io);
  registerDemo(program, io);
  registerTui(program, io);
  registerDedupe(program, io);
  registerQuery(program, io);
  registerCatalog(program, io);
  registerExport(program, io);
  registerPlan(program, io);
  return program;
}

/** Runs the CLI; the only place that turns errors into messages and exit codes. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return ExitCode.ok;
      return ExitCode.usage; // commander already printed its one-line message
    }
    if (err instanceof PartialFailureError) {
      if (argv.includes('--json')) io.stdout(JSON.stringify(err.summary, null, 2));
      process.stderr.write(`rtlake: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof RtlakeError) {
      process.stderr.write(`rtlake: ${oneLine(err)}\n`);
      return err.exitCode;
    }
    if (isOutOfResources(err)) {
      // Ingest turns this into a ResourceError itself; dedupe and the workbench over raw sources
      // hold every row read, so a large archive can exceed DuckDB's share there.
      process.stderr.write(
        `rtlake: DuckDB ran out of memory or spill space (${oneLine(err).slice(0, 120)}); over raw sources every row is held: narrow --glob, or ingest first and open the lake with --lake\n`,
      );
      return ExitCode.resources;
    }
    process.stderr.write(`rtlake: internal error: ${oneLine(err)} (please report this)\n`);
    if (process.env.RTLAKE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return ExitCode.internal;
  }
}
