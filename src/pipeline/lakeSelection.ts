import type { LakePartition } from './catalogLakeFiles.js';
import type { Reporter } from './reporter.js';

/** Which day partitions of a lake a command needs (from --date/--from/--to, or the query's WHERE). */
export type DaySelection = (day: { year: number; month: number; day: number }) => boolean;

/**
 * The partitions to make readable: the selected ones, or, without a selection, all of them; for a
 * remote lake the size of that full copy is said first, since it can be large.
 */
export function selectPartitions(
  all: LakePartition[],
  select: DaySelection | undefined,
  lake: { uri: string; remote: boolean },
  reporter: Reporter,
): LakePartition[] {
  if (select) return all.filter(select);
  if (lake.remote && all.length > 0) {
    const mb = all.reduce((s, p) => s + p.size, 0) / 1e6;
    reporter.info(
      `reading every partition of ${lake.uri}: ${all.length} day(s), ${mb.toFixed(1)} MB to keep in the cache (--date, --from/--to or a WHERE on year/month/day reads fewer)`,
    );
  }
  return all;
}
