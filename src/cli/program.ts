import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { registerCache } from './cacheCommand.js';
import { registerCatalog } from './catalogCommand.js';
import { registerCompletion } from './completionCommand.js';
import { applySettings, debugFromEnv } from './config.js';
import { registerDedupe } from './dedupeCommand.js';
import { registerDemo } from './demoCommand.js';
import { registerExport } from './exportCommand.js';
import { addGlobalFlags } from './flags.js';
import { registerIngest } from './ingestCommand.js';
import { registerPlan } from './planCommand.js';
import { registerQuery } from './queryCommand.js';
import { setDebug, writeOut } from './runtime.js';
import { closest } from './suggest.js';
import { registerTui } from './tuiCommand.js';
import { readVersion } from './version.js';

export type Io = { stdout: (s: string) => Promise<void> };

const io: Io = {
  stdout: (text: string) => writeOut(text.endsWith('\n') ? text : `${text}\n`),
};

/** Commander's "error: option '--x <n>' argument 'y' is invalid. must be …" as rtlake's one line. */
export function formatCommanderError(text: string): string {
  let line = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/^error: /, '')
    .replace(/\(Did you mean/g, '(did you mean');
  const invalid = /^option '(-\w, )?(--[\w-]+)[^']*' argument '.*' is invalid\. ([\s\S]*)$/.exec(line);
  if (invalid) line = `${invalid[2]} ${invalid[3]}`;
  return `rtlake: ${line}\n`;
}

/** Leaf commands, with their names from the top (["catalog", "glue"]). */
export function leafCommands(program: Command): { path: string[]; command: Command }[] {
  const out: { path: string[]; command: Command }[] = [];
  const walk = (c: Command, path: string[]) => {
    if (c.commands.length === 0) out.push({ path, command: c });
    for (const sub of c.commands) walk(sub, [...path, sub.name()]);
  };
  for (const c of program.commands) walk(c, [c.name()]);
  return out;
}

function unknownCommand(name: string, among: Command): UsageError {
  const names = among.commands.map((c) => c.name());
  const guess = closest(name, names);
  return new UsageError(
    `unknown command '${name}'${guess ? ` (did you mean ${guess}?)` : ''}; see rtlake help${among.parent ? ` ${among.name()}` : ''}`,
  );
}

/** The first word a command without its own arguments did not expect: an option or a command. */
function unknownWord(word: string, among: Command): UsageError {
  if (!word.startsWith('-')) return unknownCommand(word, among);
  return new UsageError(`unknown option '${word}'; see rtlake help${among.parent ? ` ${among.name()}` : ''}`);
}

export function buildProgram(): Command {
  const program = new Command('rtlake')
    .description(
      'GTFS-realtime VehiclePositions archives (S3 or a folder) -> deduplicated, partitioned Parquet lake',
    )
    .version(readVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void writeOut(s).catch(() => {}),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(formatCommanderError(s)),
    })
    .showHelpAfterError(false)
    .helpCommand(false)
    .allowExcessArguments(true)
    .allowUnknownOption(true);
  program.addHelpText(
    'after',
    `
Every flag can also be set as RTLAKE_<FLAG> (RTLAKE_CACHE_DIR for --cache-dir) or in rtlake.toml
(this folder, else $XDG_CONFIG_HOME/rtlake/; [profiles.NAME] with --config-profile NAME).
Precedence: command line > RTLAKE_* > rtlake.toml > defaults. RTLAKE_DEBUG=1 is --debug.
Exit codes: 0 ok, 2 usage, 3 nothing to do, 4 partial, 5 access, 6 output, 7 conflict, 8 SQL,
9 out of memory, 130 interrupted. More: rtlake help <command>, and the README.`,
  );
  registerIngest(program, io);
  registerDemo(program, io);
  registerTui(program, io);
  registerDedupe(program, io);
  registerQuery(program, io);
  registerCatalog(program, io);
  registerExport(program, io);
  registerPlan(program, io);
  registerCache(program, io);
  registerCompletion(program, io);

  program
    .command('help')
    .description('help for rtlake or one of its commands (rtlake help ingest, rtlake help catalog glue)')
    .argument('[command...]', 'the command')
    .action(async (path: string[]) => {
      let target: Command = program;
      for (const name of path) {
        const next = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) throw unknownCommand(name, target);
        target = next;
      }
      target.outputHelp();
    });

  for (const { command } of leafCommands(program)) {
    if (command.name() !== 'help') addGlobalFlags(command);
  }
  // The settings (RTLAKE_* and rtlake.toml) fill what the command line left out, before any work.
  program.hook('preAction', (_program, action) => {
    if (action === program && program.args.length > 0) throw unknownWord(program.args[0]!, program);
    if (action !== program) applySettings(action, program);
    setDebug(Boolean(action.opts().debug) || debugFromEnv());
  });
  // A group (`rtlake catalog`) given a command it does not have.
  for (const group of program.commands.filter((c) => c.commands.length > 0)) {
    group
      .allowExcessArguments(true)
      .allowUnknownOption(true)
      .action(async () => {
        if (group.args.length > 0) throw unknownWord(group.args[0]!, group);
        group.outputHelp();
      });
  }
  return program;
}
