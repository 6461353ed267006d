import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import { openWorkspace } from '../pipeline/openWorkspace.js';
import type { DedupeRule } from '../pipeline/dedupeRule.js';
import { parseLocations, parseRule, resolveConfig, type CommonFlags } from './config.js';
import { addSourceFlags } from './ingestCommand.js';
import { stderrReporter } from './stderrReporter.js';
import { defaultGlob } from '../pipeline/listInputs.js';

interface TuiFlags extends CommonFlags {
  lake?: string;
  source?: string[];
  latencyLog?: string;
}

/** The folder `rtlake` with no arguments opens: where `rtlake demo` writes by default. */
export const defaultDemoLake = 'rtlake-demo';

export function ruleText(rule: DedupeRule): string {
  const dir = rule.keep === 'latest' ? 'newest' : 'oldest';
  return `Rule (--dedupe ${rule.grain} --keep ${rule.keep}): the kept row is the one from the ${dir} feed_timestamp, then the ${rule.keep === 'latest' ? 'greatest' : 'least'} source_key, then entity_index.`;
}

async function startTui(flags: TuiFlags, noArguments: boolean): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      'the workbench needs a terminal (stdin and stdout a TTY); for scripts use rtlake query',
    );
  }
  const config = resolveConfig(flags);
  const rule = parseRule(flags);
  let lake: Location | undefined = flags.lake ? parseLocation(flags.lake, '--lake') : undefined;
  const sources =
    flags.source && flags.source.length > 0 ? parseLocations(flags.source, '--source') : undefined;
  let hint: string | undefined;
  if (noArguments) {
    if (existsSync(defaultDemoLake)) lake = parseLocation(defaultDemoLake, '--lake');
    else
      hint = 'empty workspace: run `rtlake demo` and start again, or `rtlake tui --lake <folder | s3://…>`';
  }
  const workspace = await openWorkspace({
    ...(lake ? { lake: config.storage.open(lake) } : {}),
    ...(sources ? { sources: sources.map((s) => config.storage.open(s)) } : {}),
    glob: flags.glob!,
    rule,
    concurrency: config.concurrency,
    cacheDir: config.cacheDir,
    maxObjectSize: config.maxObjectSize,
    reporter: stderrReporter(),
  });
  try {
    // Loaded on demand so no other command pays for React and Ink.
    const { runTui } = await import('../tui/runTui.js');
    await runTui({
      workspace,
      ruleText: ruleText(rule),
      exportDir: process.cwd(),
      ...(hint ? { hint } : {}),
      ...(flags.latencyLog ? { latencyLog: flags.latencyLog } : {}),
      initialText: workspace.relations.includes('vehicle_positions')
        ? 'SELECT route_id, count(*) AS pings\nFROM vehicle_positions\nGROUP BY ALL\nORDER BY pings DESC;'
        : '',
    });
  } finally {
    await workspace.dispose();
  }
}

export function registerTui(program: Command, _io: { stdout: (s: string) => void }): void {
  addSourceFlags(
    program
      .command('tui')
      .description('the terminal SQL workbench over a lake (--lake) and/or raw archives (--source)'),
  )
    .option('--lake <folder | s3://bucket/prefix>', 'what ingest --out was given (holds vehicle_positions/)')
    .addOption(
      new Option('--latency-log <file>', 'append keystroke-to-frame times (ms) to a file').hideHelp(),
    )
    .action(async (flags: TuiFlags) => startTui(flags, !flags.lake && !flags.source));
  // `rtlake` alone opens the workbench.
  program.action(async () => startTui({ glob: defaultGlob }, true));
}
