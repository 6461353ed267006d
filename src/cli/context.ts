import { UsageError } from '../errors.js';
import { partitionDate } from '../pipeline/lakeLayout.js';
import type { DaySelection } from '../pipeline/lakeSelection.js';
import { silentReporter, type Reporter } from '../pipeline/reporter.js';
import { evictToCap, touch } from './cacheFiles.js';
import type { DayRangeFlags, GlobalFlags } from './flags.js';
import { progressReporter } from './progress.js';

/** The progress reporter a command's flags ask for: none with --quiet (or when `silent`). */
export function reporterFor(flags: GlobalFlags, silent = false): Reporter {
  if (flags.quiet || silent) return silentReporter;
  return progressReporter({ verbose: Boolean(flags.verbose || flags.debug) });
}

/** --date, or --from and/or --to: the days a lake-reading command reads (undefined: no range given). */
export function lakeDays(flags: DayRangeFlags): DaySelection | undefined {
  if (flags.date && (flags.from || flags.to)) throw new UsageError('give --date or --from/--to, not both');
  const from = flags.date ?? flags.from;
  const to = flags.date ?? flags.to;
  if (from === undefined && to === undefined) return undefined;
  if (from !== undefined && to !== undefined && to < from)
    throw new UsageError(`--to ${to} is before --from ${from}`);
  return (p) => {
    const day = partitionDate(p.year, p.month, p.day);
    return (from === undefined || day >= from) && (to === undefined || day <= to);
  };
}

/** After a run: keeps the cache under --cache-max, sparing the files the run reads. */
export async function keepCacheUnderCap(
  cacheDir: string,
  cap: number,
  inUse: readonly string[],
  reporter: Reporter,
): Promise<void> {
  await touch(inUse.filter((f) => f.startsWith(cacheDir)));
  const evicted = await evictToCap(cacheDir, cap, new Set(inUse));
  if (evicted.files > 0)
    reporter.info(
      `cache: removed ${evicted.files} least recently used file(s), ${(evicted.bytes / 1e6).toFixed(1)} MB, to stay under --cache-max`,
    );
}
