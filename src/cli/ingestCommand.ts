import { Option, type Command } from 'commander';
import { PartialFailureError, UsageError } from '../errors.js';
import { defaultFeedGlob, parseFeedSelection } from '../feeds/feedKinds.js';
import { parseLocation } from '../location.js';
import type { Store } from '../store/store.js';
import { daysBetween, formatDay, parseDay, type Day } from '../pipeline/dayMode.js';
import { ingest } from '../pipeline/ingest.js';
import { parseLocations, parseRule, required, resolveConfig } from './config.js';
import { keepCacheUnderCap, reporterFor } from './context.js';
import {
  addArchiveFlags,
  addFeedFlag,
  addDayRangeFlags,
  addJsonFlag,
  addRuleFlags,
  addS3Flags,
  addWindowFlags,
  defaults,
  memoryLimit,
  positiveInt,
  type ArchiveFlags,
  type DayRangeFlags,
  type FeedFlags,
  type GlobalFlags,
  type JsonFlag,
  type RuleFlags,
  type S3Flags,
  type WindowFlags,
} from './flags.js';
import { formatIngestSummary } from './printSummary.js';
import type { Io } from './program.js';
import { runSignal } from './runtime.js';

/** Day mode lists dated folders under each root: a missing local root is a usage error, not an empty day. */
export async function checkRootsExist(sources: Store[]): Promise<void> {
  for (const s of sources) {
    if ((await s.probeRoot()) !== 'folder') {
      throw new UsageError(`source folder ${s.uri} does not exist`);
    }
  }
}

/** --date, or --from with --to: the days of a day-mode run (null: prefix mode). */
export function resolveDays(flags: DayRangeFlags): Day[] | null {
  if (flags.date && (flags.from || flags.to)) throw new UsageError('give --date or --from/--to, not both');
  if (flags.date) return [parseDay(flags.date, '--date')];
  if (flags.from || flags.to) {
    if (!flags.from || !flags.to) throw new UsageError('--from and --to go together');
    return daysBetween(parseDay(flags.from, '--from'), parseDay(flags.to, '--to'));
  }
  return null;
}

type IngestFlags = S3Flags &
  ArchiveFlags &
  RuleFlags &
  DayRangeFlags &
  WindowFlags &
  JsonFlag &
  FeedFlags &
  GlobalFlags & {
    out?: string;
    strict?: boolean;
    memoryLimit?: string;
    threads?: number;
    batchFiles: number;
  };

export function registerIngest(program: Command, io: Io): void {
  const cmd = program
    .command('ingest')
    .description(
      'turn an archive of VehiclePositions JSON into a deduplicated, day-partitioned Parquet lake',
    );
  addArchiveFlags(cmd);
  cmd.addOption(
    required(
      new Option(
        '--out <s3://bucket/prefix | folder>',
        'where the lake goes (vehicle_positions/ is created under it)',
      ),
    ),
  );
  addS3Flags(cmd);
  addRuleFlags(cmd);
  cmd
    .option('--strict', 'fail, writing nothing, if any key would be skipped')
    .addOption(
      new Option(
        '--memory-limit <size>',
        'DuckDB memory limit; beyond it work spills to a private temp folder (default 320MB)',
      ).argParser(memoryLimit),
    )
    .addOption(
      new Option('--threads <n>', 'DuckDB worker threads (default: one per core)').argParser(
        positiveInt(1024),
      ),
    )
    .addOption(
      new Option(
        '--batch-files <n>',
        'files per DuckDB read; each batch keeps only its own winners before the run-wide dedupe',
      )
        .argParser(positiveInt())
        .default(defaults.batchFiles),
    );
  addDayRangeFlags(cmd, {
    date: 'day mode: --source is the archive root; read this UTC day (plus the window) and replace its partition',
    from: 'day mode over a range of days (with --to), one day after another',
  });
  addWindowFlags(cmd);
  addFeedFlag(cmd);
  addJsonFlag(cmd);
  cmd.action(async (flags: IngestFlags) => {
    const config = resolveConfig(flags);
    const feeds = parseFeedSelection(flags.feed ?? []);
    // The default glob lists the selected kinds' files; a --glob given (flag, variable, file) stands.
    const glob = cmd.getOptionValueSource('glob') === 'default' ? defaultFeedGlob(feeds) : flags.glob;
    const sources = parseLocations(flags.source, '--source').map((l) => config.storage.open(l));
    const out = config.storage.open(parseLocation(flags.out!, '--out'));
    const days = resolveDays(flags);
    if (days) await checkRootsExist(sources);
    const reporter = reporterFor(flags);
    const runs = [];
    try {
      for (const day of days ?? [null]) {
        if (day) reporter.info(`day ${formatDay(day)}`);
        runs.push(
          await ingest({
            ...(day ? { day: { day, layout: flags.layout, windowSeconds: flags.window * 60 } } : {}),
            sources,
            out,
            glob,
            feeds,
            rule: parseRule(flags),
            concurrency: config.concurrency,
            cacheDir: config.cacheDir,
            maxObjectSize: flags.maxObjectSize,
            strict: Boolean(flags.strict),
            reporter,
            signal: runSignal,
            ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
            ...(flags.threads ? { threads: flags.threads } : {}),
            batchFiles: flags.batchFiles,
          }),
        );
      }
    } catch (err) {
      // The partial run's summary is what a script needs to see which keys failed.
      if (err instanceof PartialFailureError && flags.json)
        await io.stdout(JSON.stringify(err.summary, null, 2));
      throw err;
    }
    await keepCacheUnderCap(config.cacheDir, flags.cacheMax, [], reporter);
    if (flags.json)
      await io.stdout(JSON.stringify(runs.length === 1 && !flags.from ? runs[0] : { days: runs }, null, 2));
    else
      await io.stdout(
        runs.map((s) => (s.date ? `day ${s.date}\n` : '') + formatIngestSummary(s)).join('\n\n'),
      );
  });
}
