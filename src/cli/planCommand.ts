import type { Command } from 'commander';
import { NoInputError, UsageError } from '../errors.js';
import { parseLocation } from '../location.js';
import { daySources, defaultLayout, formatDay } from '../pipeline/dayMode.js';
import { defaultGlob, listInputs } from '../pipeline/ingest/listInputs.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseLocations, resolveConfig } from './config.js';
import { checkRootsExist, resolveDays } from './ingestCommand.js';

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

export function registerPlan(program: Command, io: { stdout: (s: string) => void }): void {
  program
    .command('plan')
    .description('one ingest job per day, for a scheduler (AWS Batch array job, Kubernetes Indexed Job)')
    .option(
      '--source <s3://bucket/prefix | folder>',
      'archive root (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day')
    .option('--out <s3://bucket/prefix | folder>', 'the lake the jobs write', 's3://BUCKET/PREFIX')
    .option('--layout <pattern>', 'archive folder of a day under the root', defaultLayout)
    .option('--window <minutes>', 'minutes of neighbouring days read around midnight', '15')
    .option('--glob <pattern>', 'file-name pattern', defaultGlob)
    .option('--count', 'list each day to size it (keys and bytes per job)')
    .option('--endpoint <url>', 'S3-compatible endpoint')
    .option('--region <region>', 'AWS region')
    .option('--profile <name>', 'AWS profile')
    .option('--json', 'print the jobs as JSON')
    .action(
      async (flags: {
        source?: string[];
        from: string;
        to: string;
        out: string;
        layout: string;
        window: string;
        glob: string;
        count?: boolean;
        endpoint?: string;
        region?: string;
        profile?: string;
        json?: boolean;
      }) => {
        const sources = parseLocations(flags.source, '--source');
        const days = resolveDays(flags)!;
        const config = resolveConfig(flags);
        const stores = sources.map((l) => config.storage.open(l));
        await checkRootsExist(stores);
        if (!flags.out.startsWith('s3://BUCKET')) parseLocation(flags.out, '--out');
        const windowMinutes = Number(flags.window);
        if (!Number.isFinite(windowMinutes) || windowMinutes < 0)
          throw new UsageError(`--window must be a number of minutes, got "${flags.window}"`);
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
          if (flags.layout !== defaultLayout) args.push('--layout', flags.layout);
          if (flags.window !== '15') args.push('--window', flags.window);
          if (flags.glob !== defaultGlob) args.push('--glob', flags.glob);
          const job: PlannedJob = {
            index,
            date: formatDay(day),
            args,
            command: ['rtlake', ...args].map(shellWord).join(' '),
          };
          if (flags.count) {
            try {
              const listing = await listInputs(stores, flags.glob, {
                reporter: silentReporter,
                day: daySources(stores, day, flags.layout, windowMinutes * 60),
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
        if (flags.json) io.stdout(JSON.stringify({ jobs }, null, 2));
        else
          io.stdout(
            jobs
              .map(
                (j) =>
                  `${j.index}\t${j.date}\t${j.keys !== undefined ? `${j.keys} keys\t${(j.bytes! / 1e6).toFixed(1)} MB\t` : ''}${j.command}`,
              )
              .join('\n'),
          );
      },
    );
}
