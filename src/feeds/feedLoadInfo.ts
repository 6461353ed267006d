/** What loading found for one of the tables beside vehicle_positions (per batch, then per run). */
export interface FeedTableInfo {
  /** Rows read: stop_time_updates of trip updates, or alert entities. */
  rows: number;
  /** Rows that cannot be kept, by reason (never written). */
  rejected: Record<string, number>;
  /** Day mode: valid rows of another day (that day's job owns them). */
  outsideDay: number;
  /** Parquet files holding the batches' kept rows. */
  keptFiles: string[];
}

export type FeedTableName = 'trip_updates' | 'alerts';
export type FeedInfos = Partial<Record<FeedTableName, FeedTableInfo>>;

export const emptyFeedTableInfo = (): FeedTableInfo => ({
  rows: 0,
  rejected: {},
  outsideDay: 0,
  keptFiles: [],
});

/** Adds `one` into `total` (both maps of table -> info). */
export function addFeedInfos(total: FeedInfos, one: FeedInfos | undefined): FeedInfos {
  for (const [table, info] of Object.entries(one ?? {}) as [FeedTableName, FeedTableInfo][]) {
    const sum = (total[table] ??= emptyFeedTableInfo());
    sum.rows += info.rows;
    sum.outsideDay += info.outsideDay;
    sum.keptFiles.push(...info.keptFiles);
    for (const [reason, n] of Object.entries(info.rejected))
      sum.rejected[reason] = (sum.rejected[reason] ?? 0) + n;
  }
  return total;
}
