import { UsageError } from '../errors.js';

/**
 * The lake's three tables as the reading commands see them (query/tui views, catalog, export,
 * dedupe): each in its own folder under the lake root, `<table>/year=Y/month=M/day=D/data.parquet`.
 * Said once here, so a command that reads "every table" cannot forget one (Record, not Partial).
 */
export const lakeTableNames = ['vehicle_positions', 'trip_updates', 'alerts'] as const;
export type LakeTableName = (typeof lakeTableNames)[number];

export interface LakeTableInfo {
  /** The Glue table's description (vehicle_positions' is the one rtlake has always written). */
  glueDescription: (lake: string) => string;
  /** The export's row order: a stable order a person reading the file expects. */
  exportOrder: readonly string[];
  /** The day partition is the UTC day of this column (sql/checks/ recompute it). */
  dayColumn: string;
}

export const lakeTableInfo: Record<LakeTableName, LakeTableInfo> = {
  vehicle_positions: {
    glueDescription: (lake) =>
      `GTFS-realtime vehicle positions from ${lake}: one deduplicated Parquet file per UTC day (written by rtlake)`,
    exportOrder: ['vehicle_id', 'timestamp'],
    dayColumn: 'timestamp',
  },
  trip_updates: {
    glueDescription: (lake) =>
      `GTFS-realtime trip updates from ${lake}: one row per prediction (stop_time_update), earliest publication kept; one Parquet file per UTC day of feed_timestamp (written by rtlake)`,
    exportOrder: [
      'trip_id',
      'start_date',
      'stop_sequence',
      'stop_id',
      'feed_timestamp',
      'source_key',
      'entity_index',
      'update_index',
    ],
    dayColumn: 'feed_timestamp',
  },
  alerts: {
    glueDescription: (lake) =>
      `GTFS-realtime alerts from ${lake}: one row per version of an alert per UTC day (first_seen, last_seen); one Parquet file per UTC day (written by rtlake)`,
    exportOrder: ['alert_id', 'first_seen', 'source_key', 'entity_index'],
    dayColumn: 'first_seen',
  },
};

export function isLakeTableName(name: string): name is LakeTableName {
  return (lakeTableNames as readonly string[]).includes(name);
}

/** One table name (export --table): a usage error naming the flag otherwise. */
export function parseLakeTable(text: string, flag: string): LakeTableName {
  if (!isLakeTableName(text)) throw new UsageError(`${flag} ${text}: expected ${lakeTableNames.join(', ')}`);
  return text;
}

/**
 * The tables chosen by repeated --feed values (each may be a comma list; `all` is every table),
 * in lakeTableNames order, without repeats; none given: `fallback`.
 */
export function parseLakeTables(
  values: readonly string[] | undefined,
  fallback: readonly LakeTableName[] = ['vehicle_positions'],
): { tables: LakeTableName[]; all: boolean } {
  if (!values || values.length === 0) return { tables: [...fallback], all: false };
  const chosen = new Set<LakeTableName>();
  let all = false;
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value.trim();
    if (name === 'all') {
      all = true;
      lakeTableNames.forEach((t) => chosen.add(t));
    } else if (isLakeTableName(name)) chosen.add(name);
    else throw new UsageError(`--feed ${value}: expected ${lakeTableNames.join(', ')} or all`);
  }
  return { tables: lakeTableNames.filter((t) => chosen.has(t)), all };
}
