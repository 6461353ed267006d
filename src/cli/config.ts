import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import type { DedupeGrain, DedupeRule, Keep } from '../pipeline/dedupeRule.js';
import type { S3Settings } from '../s3/s3Client.js';
import { makeStorage, type Storage } from '../store/openStore.js';

/** Flags shared by every command that reads an archive or a lake. */
export interface CommonFlags {
  endpoint?: string;
  region?: string;
  profile?: string;
  concurrency?: string;
  cacheDir?: string;
  glob?: string;
  keep?: string;
  dedupe?: string;
  maxObjectSize?: string;
  json?: boolean;
}

/** Resolved once at start-up (flags > environment > defaults) and passed down explicitly. */
export interface ResolvedConfig {
  s3Settings: S3Settings;
  /** Opens archives and lakes; one S3 client (made on first use) and one retry counter per run. */
  storage: Storage;
  concurrency: number;
  cacheDir: string;
  maxObjectSize: number;
}

export function resolveConfig(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const endpoint = flags.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError(`endpoint "${endpoint}" must be an http:// or https:// URL`);
  }
  const s3Settings: S3Settings = {
    ...(endpoint ? { endpoint } : {}),
    ...((flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION)
      ? { region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION }
      : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    maxAttempts: 1, // rtlake retries itself, counting each retry for the summary
  };
  const concurrency = parsePositiveInt(flags.concurrency ?? '32', '--concurrency');
  if (concurrency > 1024) throw new UsageError('--concurrency must be at most 1024');
  const cacheDir =
    flags.cacheDir ?? env.RTLAKE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'rtlake');
  return {
    s3Settings,
    storage: makeStorage({ s3: s3Settings }),
    concurrency,
    cacheDir,
    maxObjectSize: parseSize(flags.maxObjectSize ?? '16MiB', '--max-object-size'),
  };
}

export function parsePositiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

/** 64MiB, 500KB, 1GB, or a plain number of bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${flag} must be a size such as 64MiB, got "${text}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    kb: 1e3,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
  };
  return Math.floor(Number(m[1]) * factor[unit]!);
}

export function parseLocations(values: string[] | undefined, flag: string): Location[] {
  if (!values || values.length === 0) throw new UsageError(`${flag} is required`);
  return values.map((v) => parseLocation(v, flag));
}

/** --dedupe key|exact and --keep latest|earliest. Exact defaults to earliest, as MBTA's pipeline keeps. */
export function parseRule(flags: { dedupe?: string; keep?: string }): DedupeRule {
  const grain = (flags.dedupe ?? 'key') as DedupeGrain;
  if (grain !== 'key' && grain !== 'exact')
    throw new UsageError(`--dedupe must be key or exact, got "${flags.dedupe}"`);
  const keep = (flags.keep ?? (grain === 'exact' ? 'earliest' : 'latest')) as Keep;
  if (keep !== 'latest' && keep !== 'earliest')
    throw new UsageError(`--keep must be latest or earliest, got "${flags.keep}"`);
  return { grain, keep };
}
