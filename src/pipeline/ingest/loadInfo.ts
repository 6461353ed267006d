import { addFeedInfos, type FeedInfos } from '../../feeds/feedLoadInfo.js';
import type { FailedKey, SkippedKey } from '../skipReasons.js';

/**
 * What fetching and loading found, for one file, one batch or the whole run: every stage of the
 * load returns one, and the run's is their sum (addLoadInfo).
 */
export interface LoadInfo {
  /** Files read into DuckDB. */
  loaded: number;
  skipped: SkippedKey[];
  failed: FailedKey[];
  /** Bytes of the files given to DuckDB. */
  bytes: number;
  /** entity[].vehicle rows read from the loaded files. */
  rows: number;
  /** Of those: rows without a vehicle id, and with one but without a usable timestamp. */
  missingVehicleId: number;
  missingTimestamp: number;
  /** Day mode: valid rows whose timestamp falls on another day (left to that day's job). */
  outsideDay: number;
  /** Entities that are not vehicles (e.g. `entity: [{}]`), counted but not rows. */
  otherEntities: number;
  /** Parquet files holding the batches' winners (when not every row is kept). */
  keptFiles: string[];
  /** The trip_updates and alerts tables, when selected (--feed). */
  feeds: FeedInfos;
}

export const emptyLoadInfo = (): LoadInfo => ({
  loaded: 0,
  skipped: [],
  failed: [],
  bytes: 0,
  rows: 0,
  missingVehicleId: 0,
  missingTimestamp: 0,
  outsideDay: 0,
  otherEntities: 0,
  keptFiles: [],
  feeds: {},
});

/** Adds `one` into `total`. */
export function addLoadInfo(total: LoadInfo, one: Partial<LoadInfo>): LoadInfo {
  total.loaded += one.loaded ?? 0;
  total.skipped.push(...(one.skipped ?? []));
  total.failed.push(...(one.failed ?? []));
  total.bytes += one.bytes ?? 0;
  total.rows += one.rows ?? 0;
  total.missingVehicleId += one.missingVehicleId ?? 0;
  total.missingTimestamp += one.missingTimestamp ?? 0;
  total.outsideDay += one.outsideDay ?? 0;
  total.otherEntities += one.otherEntities ?? 0;
  total.keptFiles.push(...(one.keptFiles ?? []));
  addFeedInfos(total.feeds, one.feeds);
  return total;
}
