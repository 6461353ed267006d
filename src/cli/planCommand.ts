import { Option, type Command } from 'commander';
import { NoInputError } from '../errors.js';
import { defaultFeedGlob, feedKinds, parseFeedSelection } from '../feeds/feedKinds.js';
import { parseLocation } from '../location.js';
import { daySources, formatDay } from '../pipeline/dayMode.js';
import { listInputs } from '../pipeline/ingest/listInputs.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseLocations, required, resolveConfig } from './config.js';
import {
  addFeedFlag,
  addJsonFlag,
  addS3Flags,
  addWindowFlags,
  collect,
  defaults,
  isoDay,
  type GlobalFlags,
  type JsonFlag,
  type S3Flags,
  type WindowFlags,
} from './flags.js';
import { checkRootsExist, resolveDays } from './ingestCommand.js';
import type { Io } from './program.js';

/** Quotes a word for a POSIX shell. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface PlannedJob {
  index: number;
  date: string;
  args: string[];
  command: string;
  keys?: number;
  bytes?: number;
}

type PlanFlags = S3Flags &
  WindowFlags &
  JsonFlag &
  GlobalFlags & {
    source?: string[];
    from?: string;
    to?: string;
    out: string;
    glob: string;
    count?: boolean;
    feed?: string[];
  };

export function registerPlan(program: Command, io: Io): void {
  const cmd = program
    .command('plan')
    .description('one ingest job per day, for a scheduler (AWS Batch array job, Kubernetes Indexed Job)')
    .addOption(
      new Option('--source <s3://bucket/prefix | folder>', 'archive root (repeatable)').argParser(collect),
    )
    .addOption(required(new Option('--from <YYYY-MM-DD>', 'first day').argParser(isoDay)))
    .addOption(required(new Option('--to <YYYY-MM-DD>', 'last day').argParser(isoDay)))
    .option('--out <s3://bucket/prefix | folder>', 'the lake the jobs write', defaults.planOut)
    .option('--glob <pattern>', 'file-name pattern', defaults.glob)
    .option('--count', 'list each day to size it (keys and bytes per job)');
  addWindowFlags(cmd);
  addFeedFlag(cmd);
  addS3Flags(cmd);
  addJsonFlag(cmd, 'print the jobs as JSON');
  cmd.action(async (flags: PlanFlags) => {
    // The tables the jobs build, passed on to each; the default glob (and --count) follows them.
    const feeds = parseFeedSelection(flags.feed ?? []);
    const feedArgs =
      flags.feed === undefined
        ? []
        : feeds.length === feedKinds.length
          ? ['--feed', 'all']
          : feeds.flatMap((f) => ['--feed', f]);
    const glob = cmd.getOptionValueSource('glob') === 'default' ? defaultFeedGlob(feeds) : flags.glob;
    const sources = parseLocations(flags.source, '--source');
    const days = resolveDays(flags)!;
    const config = resolveConfig(flags);
    const stores = sources.map((l) => config.storage.open(l));
    await checkRootsExist(stores);
    if (!flags.out.startsWith('s3://BUCKET')) parseLocation(flags.out, '--out');
    const jobs: PlannedJob[] = [];
    for (const [index, day] of days.entries()) {
      const args = [
        'ingest',
        ...sources.flatMap((s) => ['--source', s.uri]),
        '--date',
        formatDay(day),
        '--out',
        flags.out,
      ];
      if (flags.layout !== defaults.layout) args.push('--layout', flags.layout);
      if (flags.window !== defaults.windowMinutes) args.push('--window', String(flags.window));
      args.push(...feedArgs);
      if (cmd.getOptionValueSource('glob') !== 'default' && flags.glob !== defaults.glob)
        args.push('--glob', flags.glob);
      const job: PlannedJob = {
        index,
        date: formatDay(day),
        args,
        command: ['rtlake', ...args].map(shellWord).join(' '),
      };
      if (flags.count) {
        try {
          const listing = await listInputs(stores, glob, {
            reporter: silentReporter,
            day: daySources(stores, day, flags.layout, flags.window * 60),
          });
          job.keys = listing.inputs.length;
          job.bytes = listing.inputs.reduce((n, i) => n + i.size, 0);
        } catch (err) {
          if (!(err instanceof NoInputError)) throw err;
          job.keys = 0;
          job.bytes = 0;
        }
      }
      jobs.push(job);
    }
    if (flags.json) await io.stdout(JSON.stringify({ jobs }, null, 2));
    else
      await io.stdout(
        jobs
          .map(
            (j) =>
              `${j.index}\t${j.date}\t${j.keys !== undefined ? `${j.keys} keys\t${(j.bytes! / 1e6).toFixed(1)} MB\t` : ''}${j.command}`,
          )
          .join('\n'),
      );
  });
}
