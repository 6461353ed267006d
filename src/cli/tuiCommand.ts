import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import { openWorkspace } from '../pipeline/openWorkspace.js';
import { parseLocations, parseRule, resolveConfig } from './config.js';
import { keepCacheUnderCap, lakeDays, reporterFor } from './context.js';
import {
  addArchiveFlags,
  addLakeDaysFlags,
  addRuleFlags,
  addS3Flags,
  defaults,
  type ArchiveFlags,
  type DayRangeFlags,
  type GlobalFlags,
  type RuleFlags,
  type S3Flags,
} from './flags.js';
import type { Io } from './program.js';

type TuiFlags = Partial<S3Flags> &
  DayRangeFlags &
  ArchiveFlags &
  Partial<RuleFlags> &
  GlobalFlags & {
    lake?: string;
    latencyLog?: string;
    theme?: string;
  };

/** The folder `rtlake` with no arguments opens: where `rtlake demo` writes by default. */
export const defaultDemoLake = 'rtlake-demo';

/** Where the workbench keeps its lasting state: $XDG_STATE_HOME (if absolute), else ~/.local/state. */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  const x = env.XDG_STATE_HOME;
  return x && isAbsolute(x) ? x : join(homedir(), '.local', 'state');
}

/**
 * How many colours the terminal shows, from the terminal's own variables. chalk's guess is not
 * used: it turns every escape off when CI is set, which left the workbench (its cursor, under
 * NO_COLOR drawn in inverse video) unstyled in a real terminal. FORCE_COLOR=0..3 still decides.
 */
export function terminalColourLevel(env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  const forced = env.FORCE_COLOR;
  if (forced !== undefined && /^[0-3]$/.test(forced)) return Number(forced) as 0 | 1 | 2 | 3;
  if (forced === 'false') return 0;
  const term = env.TERM ?? '';
  if (term === 'dumb') return 0;
  if (/^(truecolor|24bit)$/i.test(env.COLORTERM ?? '')) return 3;
  if (/256/.test(term)) return 2;
  return 1;
}

/** The workbench's look and terminal from the environment, read once here. */
function terminalSettings(flags: TuiFlags, env: NodeJS.ProcessEnv = process.env) {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  if (flags.theme !== undefined && flags.theme !== 'dark' && flags.theme !== 'light')
    throw new UsageError(`--theme must be dark or light, not ${flags.theme}`);
  const editor = env.VISUAL || env.EDITOR;
  return {
    theme: noColor ? ('none' as const) : flags.theme === 'light' ? ('light' as const) : ('dark' as const),
    ...(editor ? { editor } : {}),
    inTmux: Boolean(env.TMUX),
    colourLevel: terminalColourLevel(env),
  };
}

async function startTui(flags: TuiFlags, noArguments: boolean): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      'the workbench needs a terminal (stdin and stdout a TTY); for scripts use rtlake query',
    );
  }
  const config = resolveConfig(flags);
  const rule = parseRule(flags);
  const terminal = terminalSettings(flags);
  let lake: Location | undefined = flags.lake ? parseLocation(flags.lake, '--lake') : undefined;
  const sources =
    flags.source && flags.source.length > 0 ? parseLocations(flags.source, '--source') : undefined;
  let hint: string | undefined;
  if (noArguments) {
    if (existsSync(defaultDemoLake)) lake = parseLocation(defaultDemoLake, '--lake');
    else
      hint = 'empty workspace: run `rtlake demo` and start again, or `rtlake tui --lake <folder | s3://…>`';
  }
  const selectDays = lakeDays(flags);
  const reporter = reporterFor(flags);
  const workspace = await openWorkspace({
    ...(lake ? { lake: config.storage.open(lake) } : {}),
    ...(selectDays ? { selectDays } : {}),
    ...(sources ? { sources: sources.map((s) => config.storage.open(s)) } : {}),
    glob: flags.glob!,
    rule,
    concurrency: config.concurrency,
    cacheDir: config.cacheDir,
    maxObjectSize: flags.maxObjectSize,
    reporter,
  });
  await keepCacheUnderCap(
    config.cacheDir,
    flags.cacheMax ?? defaults.cacheMax,
    workspace.lakeFiles ?? [],
    reporter,
  );
  try {
    // Loaded on demand so no other command pays for React and Ink.
    const { runTui } = await import('../tui/runTui.js');
    await runTui({
      workspace,
      rule,
      exportDir: process.cwd(),
      stateHome: stateHome(),
      ...terminal,
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

export function registerTui(program: Command, _io: Io): void {
  const cmd = program
    .command('tui')
    .description('the terminal SQL workbench over a lake (--lake) and/or raw archives (--source)');
  addArchiveFlags(cmd);
  addLakeDaysFlags(cmd);
  addS3Flags(cmd);
  addRuleFlags(cmd);
  cmd
    .option(
      '--lake <folder | s3://bucket/prefix>',
      'what ingest --out was given (holds vehicle_positions/, trip_updates/, alerts/)',
    )
    .option('--theme <dark|light>', 'colours for a dark or a light terminal (NO_COLOR=1: none)', 'dark')
    .addOption(
      new Option('--latency-log <file>', 'append keystroke-to-frame times (ms) to a file').hideHelp(),
    )
    .action(async (flags: TuiFlags) => startTui(flags, !flags.lake && !flags.source));
  // `rtlake` alone opens the workbench.
  program.action(async () => startTui({ glob: defaults.glob, maxObjectSize: defaults.maxObjectSize }, true));
}
