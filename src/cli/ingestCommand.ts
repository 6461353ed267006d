import type { Command } from 'commander';
import { ingest } from '../pipeline/ingest.js';
import { parseLocation } from '../location.js';
import type { Store } from '../store/store.js';
import { defaultFeedGlob, parseFeedSelection } from '../feeds/feedKinds.js';
import { defaultGlob } from '../pipeline/ingest/listInputs.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseLocations, parsePositiveInt, parseRule, resolveConfig, type CommonFlags } from './config.js';
import { formatIngestSummary } from './printSummary.js';
import { stderrReporter } from './stderrReporter.js';
import { UsageError } from '../errors.js';
import { daysBetween, defaultLayout, formatDay, parseDay, type Day } from '../pipeline/dayMode.js';

/** Day mode lists dated folders under each root: a missing local root is a usage error, not an empty day. */
export async function checkRootsExist(sources: Store[]): Promise<void> {
  for (const s of sources) {
    if ((await s.probeRoot()) !== 'folder') {
      throw new UsageError(`source folder ${s.uri} does not exist`);
    }
  }
}

/** --date, or --from with --to: the days of a day-mode run (null: prefix mode). */
export function resolveDays(flags: { date?: string; from?: string; to?: string }): Day[] | null {
  if (flags.date && (flags.from || flags.to)) throw new UsageError('give --date or --from/--to, not both');
  if (flags.date) return [parseDay(flags.date, '--date')];
  if (flags.from || flags.to) {
    if (!flags.from || !flags.to) throw new UsageError('--from and --to go together');
    return daysBetween(parseDay(flags.from, '--from'), parseDay(flags.to, '--to'));
  }
  return null;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Flags every archive-reading command shares. */
export function addSourceFlags(cmd: Command): Command {
  return cmd
    .option('--source <s3://bucket/prefix | folder>', 'archive to read (repeatable)', collect)
    .option('--glob <pattern>', 'file-name pattern (matched after the last /)', defaultGlob)
    .option('--endpoint <url>', 'S3-compatible endpoint (else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)')
    .option('--region <region>', 'AWS region (else AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (SSO works)')
    .option('--concurrency <n>', 'parallel S3 requests', '32')
    .option(
      '--cache-dir <folder>',
      'local cache of fetched objects (else RTLAKE_CACHE_DIR or ~/.cache/rtlake)',
    )
    .option(
      '--max-object-size <size>',
      "skip objects larger than this (also DuckDB's per-object JSON bound)",
      '16MiB',
    )
    .option(
      '--keep <latest|earliest>',
      'which duplicate to keep (default latest; earliest with --dedupe exact)',
    )
    .option('--dedupe <key|exact>', 'dedupe grain: (vehicle_id, timestamp) or whole identical rows', 'key');
}

interface IngestFlags extends CommonFlags {
  source?: string[];
  out?: string;
  date?: string;
  from?: string;
  to?: string;
  layout: string;
  window: string;
  strict?: boolean;
  quiet?: boolean;
  memoryLimit?: string;
  threads?: string;
  batchFiles?: string;
  feed?: string[];
}

export function registerIngest(program: Command, io: { stdout: (s: string) => void }): void {
  addSourceFlags(
    program
      .command('ingest')
      .description(
        'turn an archive of VehiclePositions JSON into a deduplicated, day-partitioned Parquet lake',
      ),
  )
    .requiredOption(
      '--out <s3://bucket/prefix | folder>',
      'where the lake goes (vehicle_positions/ is created under it)',
    )
    .option(
      '--feed <table>',
      'vehicle_positions, trip_updates, alerts or all (repeatable; default vehicle_positions); the default --glob follows it',
      collect,
    )
    .option('--strict', 'fail, writing nothing, if any key would be skipped')
    .option('--json', 'print one JSON summary on stdout')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--memory-limit <size>',
      'DuckDB memory limit; beyond it work spills to a private temp folder (default 448MB)',
    )
    .option('--threads <n>', 'DuckDB worker threads (default: one per core)')
    .option(
      '--batch-files <n>',
      'files per DuckDB read; each batch keeps only its own winners before the run-wide dedupe',
      '2000',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'day mode: --source is the archive root; read this UTC day (plus the window) and replace its partition',
    )
    .option('--from <YYYY-MM-DD>', 'day mode over a range of days (with --to), one day after another')
    .option('--to <YYYY-MM-DD>', 'last day of --from')
    .option('--layout <pattern>', 'day mode: the archive folder of a day under the root', defaultLayout)
    .option(
      '--window <minutes>',
      "day mode: minutes of the neighbouring days' files to read around midnight",
      '15',
    )
    .action(async (flags: IngestFlags, cmd: Command) => {
      const config = resolveConfig(flags);
      const feeds = parseFeedSelection(flags.feed ?? []);
      const glob = cmd.getOptionValueSource('glob') === 'default' ? defaultFeedGlob(feeds) : flags.glob!;
      const sources = parseLocations(flags.source, '--source').map((l) => config.storage.open(l));
      if (!flags.out) throw new UsageError('--out is required');
      const out = config.storage.open(parseLocation(flags.out, '--out'));
      const days = resolveDays(flags);
      if (days) await checkRootsExist(sources);
      const windowMinutes = Number(flags.window);
      if (!Number.isFinite(windowMinutes) || windowMinutes < 0 || windowMinutes > 720)
        throw new UsageError(`--window must be minutes between 0 and 720, got "${flags.window}"`);
      const reporter = flags.quiet ? silentReporter : stderrReporter();
      const runs = [];
      for (const day of days ?? [null]) {
        if (day) reporter.info(`day ${formatDay(day)}`);
        runs.push(
          await ingest({
            ...(day ? { day: { day, layout: flags.layout, windowSeconds: windowMinutes * 60 } } : {}),
            sources,
            out,
            glob,
            feeds,
            rule: parseRule(flags),
            concurrency: config.concurrency,
            cacheDir: config.cacheDir,
            maxObjectSize: config.maxObjectSize,
            strict: Boolean(flags.strict),
            reporter,
            ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
            ...(flags.threads ? { threads: parsePositiveInt(flags.threads, '--threads') } : {}),
            batchFiles: parsePositiveInt(flags.batchFiles!, '--batch-files'),
          }),
        );
      }
      if (flags.json)
        io.stdout(JSON.stringify(runs.length === 1 && !flags.from ? runs[0] : { days: runs }, null, 2));
      else
        io.stdout(runs.map((s) => (s.date ? `day ${s.date}\n` : '') + formatIngestSummary(s)).join('\n\n'));
    });
}
