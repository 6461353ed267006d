import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultLayout } from '../pipeline/dayMode.js';
import { defaultGlob } from '../pipeline/ingest/listInputs.js';

/**
 * Every command-line flag rtlake has, each written once: its name, help, default and validator. A
 * command picks the groups it needs (S3 access, archive, rule, lake, output, day range). Values are
 * validated as they are parsed, so a bad value is a usage error (exit 2) before any work starts,
 * whether it came from the command line, an RTLAKE_* variable or rtlake.toml (see config.ts).
 */

/** The defaults, each in one place. */
export const defaults = {
  concurrency: 32,
  /** Minutes of the neighbouring days' files read around midnight in day mode. */
  windowMinutes: 15,
  region: 'us-east-1',
  maxObjectSize: 16 * 1024 ** 2,
  maxObjectSizeText: '16MiB',
  batchFiles: 2000,
  glob: defaultGlob,
  layout: defaultLayout,
  examples: 3,
  maxRows: 40,
  /** Least-recently-used eviction keeps the cache under this. */
  cacheMax: 4 * 1024 ** 3,
  cacheMaxText: '4GiB',
  demoOut: 'rtlake-demo',
  planOut: 's3://BUCKET/PREFIX',
  table: 'vehicle_positions',
} as const;

/** The bounds of --window, the same on every command that takes it. */
export const windowBounds = { min: 0, max: 720 } as const;

/** For repeatable flags: each use adds a value. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

// ---- validators (commander calls them with the raw text; a throw is a usage error) ----

export function positiveInt(max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`must be a positive integer, got "${text}"`);
    if (n > max) throw new InvalidArgumentError(`must be at most ${max}, got "${text}"`);
    return n;
  };
}

export function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`must be a whole number (0 or more), got "${text}"`);
  return n;
}

export function windowMinutes(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < windowBounds.min || n > windowBounds.max)
    throw new InvalidArgumentError(
      `must be minutes between ${windowBounds.min} and ${windowBounds.max}, got "${text}"`,
    );
  return n;
}

const sizeUnits: Record<string, number> = {
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** 64MiB, 500KB, 1GB, or a plain number of bytes. */
export function sizeBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)?\s*$/i.exec(text);
  const factor = m ? sizeUnits[(m[2] ?? 'b').toLowerCase()] : undefined;
  if (!m || factor === undefined)
    throw new InvalidArgumentError(`must be a size such as 64MiB or 2GB, got "${text}"`);
  return Math.floor(Number(m[1]) * factor);
}

/** DuckDB's memory_limit, checked here so "1ZB" is a usage error, not an internal one; kept as text. */
export function memoryLimit(text: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`must be a size with a unit such as 448MB or 2GiB, got "${text}"`);
  return `${m[1]}${m[2]!.toUpperCase().replace('IB', 'iB')}`;
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    if (!(values as readonly string[]).includes(text))
      throw new InvalidArgumentError(`must be ${values.join(', ')}, got "${text}"`);
    return text as T;
  };
}

export function httpUrl(text: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(text))
    throw new InvalidArgumentError(`must be an http:// or https:// URL, got "${text}"`);
  return text;
}

export function isoDay(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== text)
    throw new InvalidArgumentError(`must be a date like 2021-09-06, got "${text}"`);
  return text;
}

// ---- flag groups ----

const option = (flags: string, help: string) => new Option(flags, help);

/** The values every group below can put on a command; a command's flags type picks from these. */
export interface S3Flags {
  endpointUrl?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  signRequest: boolean;
  requestPayer?: 'requester';
  concurrency: number;
  cacheDir?: string;
  cacheMax: number;
}

/** S3 access, the aws CLI's names where it has one. Every command that can touch S3 takes these. */
export function addS3Flags(cmd: Command): Command {
  return cmd
    .addOption(
      option('--endpoint-url <url>', 'S3-compatible endpoint (else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)')
        .argParser(httpUrl)
        .conflicts('endpoint'),
    )
    .addOption(option('--endpoint <url>', 'same as --endpoint-url').argParser(httpUrl).hideHelp())
    .addOption(
      option(
        '--region <region>',
        `AWS region (else AWS_REGION / AWS_DEFAULT_REGION, else the profile's region, else ${defaults.region})`,
      ),
    )
    .addOption(option('--profile <name>', 'AWS profile from ~/.aws/config (SSO works)'))
    .addOption(
      option('--no-sign-request', 'anonymous requests, no credential lookup (public buckets, open data)'),
    )
    .addOption(
      option('--request-payer <requester>', 'requester-pays buckets: you pay for the requests').argParser(
        oneOf(['requester'] as const),
      ),
    )
    .addOption(
      option('--concurrency <n>', 'parallel S3 requests')
        .argParser(positiveInt(1024))
        .default(defaults.concurrency),
    )
    .addOption(
      option(
        '--cache-dir <folder>',
        'local cache of fetched objects and lake copies (else $XDG_CACHE_HOME/rtlake or ~/.cache/rtlake)',
      ),
    )
    .addOption(
      option('--cache-max <size>', 'size cap of the cache; least recently used files go first')
        .argParser(sizeBytes)
        .default(defaults.cacheMax, defaults.cacheMaxText),
    );
}

/** --date, --from, --to of a command that reads a lake: only those days' partitions are read. */
export function addLakeDaysFlags(cmd: Command): Command {
  return addDayRangeFlags(cmd, {
    date: "read only this UTC day's partition of the lake",
    from: 'read only the partitions from this UTC day on',
    to: 'read only the partitions up to this UTC day',
  });
}

export interface ArchiveFlags {
  source?: string[];
  glob: string;
  maxObjectSize: number;
}

/** An archive of snapshot files to read. */
export function addArchiveFlags(cmd: Command, sourceHelp = 'archive to read (repeatable)'): Command {
  return cmd
    .addOption(option('--source <s3://bucket/prefix | folder>', sourceHelp).argParser(collect))
    .addOption(
      option('--glob <pattern>', 'file-name pattern (matched after the last /)').default(defaults.glob),
    )
    .addOption(
      option(
        '--max-object-size <size>',
        "skip objects larger than this (also DuckDB's per-object JSON bound)",
      )
        .argParser(sizeBytes)
        .default(defaults.maxObjectSize, defaults.maxObjectSizeText),
    );
}

export interface RuleFlags {
  keep?: 'latest' | 'earliest';
  dedupe: 'key' | 'exact';
}

/** The dedupe rule. */
export function addRuleFlags(cmd: Command): Command {
  return cmd
    .addOption(
      option(
        '--keep <latest|earliest>',
        'which duplicate to keep (default latest; earliest with --dedupe exact)',
      ).argParser(oneOf(['latest', 'earliest'] as const)),
    )
    .addOption(
      option('--dedupe <key|exact>', 'dedupe grain: (vehicle_id, timestamp) or whole identical rows')
        .argParser(oneOf(['key', 'exact'] as const))
        .default('key'),
    );
}

export interface DayRangeFlags {
  date?: string;
  from?: string;
  to?: string;
}

/** --date, or --from with --to. */
export function addDayRangeFlags(cmd: Command, help: { date: string; from: string; to?: string }): Command {
  return cmd
    .addOption(option('--date <YYYY-MM-DD>', help.date).argParser(isoDay))
    .addOption(option('--from <YYYY-MM-DD>', help.from).argParser(isoDay))
    .addOption(option('--to <YYYY-MM-DD>', help.to ?? 'last day of --from').argParser(isoDay));
}

export interface WindowFlags {
  layout: string;
  window: number;
}

/** Day mode's archive layout and midnight window. */
export function addWindowFlags(cmd: Command): Command {
  return cmd
    .addOption(
      option('--layout <pattern>', 'day mode: the archive folder of a day under the root').default(
        defaults.layout,
      ),
    )
    .addOption(
      option(
        '--window <minutes>',
        `day mode: minutes of the neighbouring days' files read around midnight (${windowBounds.min}-${windowBounds.max})`,
      )
        .argParser(windowMinutes)
        .default(defaults.windowMinutes),
    );
}

export interface FeedFlags {
  feed?: string[];
}

/** --feed: the tables an ingest builds (src/feeds/feedKinds.ts parses it; the default --glob follows it). */
export function addFeedFlag(cmd: Command): Command {
  return cmd.addOption(
    option(
      '--feed <table>',
      'vehicle_positions, trip_updates, alerts or all (repeatable; default vehicle_positions); the default --glob follows it',
    ).argParser(collect),
  );
}

/** --feed on a command that reads the lake: which of its tables (src/pipeline/lakeTables.ts parses it). */
export function addLakeTableFlag(cmd: Command, help: string): Command {
  return cmd.addOption(option('--feed <table>', help).argParser(collect));
}

export interface JsonFlag {
  json?: boolean;
}

export function addJsonFlag(cmd: Command, help = 'print one JSON summary on stdout'): Command {
  return cmd.addOption(option('--json', help));
}

export interface GlobalFlags {
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
  configProfile?: string;
}

/** On every command: how much to say, and which rtlake.toml profile to use. */
export function addGlobalFlags(cmd: Command): Command {
  return cmd
    .addOption(option('-q, --quiet', 'no progress on stderr (errors still print)'))
    .addOption(option('-v, --verbose', 'more detail on stderr: each phase with its time'))
    .addOption(
      option(
        '--debug',
        'everything --verbose says, plus stack traces of internal errors (same as RTLAKE_DEBUG=1)',
      ),
    )
    .addOption(option('--config-profile <name>', 'settings profile from rtlake.toml ([profiles.NAME])'));
}

export interface CacheSizeFlags {
  cacheMax: number;
}

export function addCacheSizeFlag(cmd: Command): Command {
  return cmd.addOption(
    option('--cache-max <size>', 'size cap of the local cache; least recently used files go first')
      .argParser(sizeBytes)
      .default(defaults.cacheMax, defaults.cacheMaxText),
  );
}
