import { readSqlFile, runSqlFile } from '../db/runSqlFile.js';
import { sql, sqlIdentList, sqlInteger, sqlJoin, sqlStringList, type SqlFragment } from '../db/sqlText.js';
import { alertGrainColumns, feedRuleText, tripUpdateGrainColumns } from '../feeds/feedRules.js';
import type { Store } from '../store/store.js';
import { loadArchive, type LoadSummary } from './ingest/loadArchive.js';
import type { Reporter } from './reporter.js';

/** The tables beside vehicle_positions that `dedupe --feed` reports on. */
export type FeedDedupeTable = 'trip_updates' | 'alerts';

/** Each table's rule as the report applies it: the grain, the day, the order (earliest first). */
const rules: Record<
  FeedDedupeTable,
  { grain: readonly string[]; dayOf: string; order: readonly string[]; lineage: readonly string[] }
> = {
  trip_updates: {
    grain: tripUpdateGrainColumns,
    dayOf: 'feed_timestamp',
    order: ['feed_timestamp', 'source_key', 'entity_index', 'update_index'],
    lineage: ['source_key', 'entity_index', 'update_index'],
  },
  alerts: {
    grain: alertGrainColumns,
    dayOf: 'first_seen',
    order: ['first_seen', 'source_key', 'entity_index'],
    lineage: ['source_key', 'entity_index'],
  },
};

export interface FeedDedupeCandidate {
  feed_timestamp: string | null;
  source_key: string;
  entity_index: number;
  /** trip_updates: the position in stop_time_update. */
  update_index?: number;
  /** The values of the columns in which this group's candidates differ (none under these rules). */
  values: Record<string, unknown>;
  kept: boolean;
}

export interface FeedDedupeExample {
  /** The UTC day the group belongs to (its partition). */
  day: string;
  /** The group's values: the columns of the rule's grain. */
  group: Record<string, unknown>;
  conflicting: boolean;
  differing_columns: string[];
  candidates: FeedDedupeCandidate[];
}

/** The same shape as the vehicle_positions report, for trip_updates or alerts. */
export interface FeedDedupeReport {
  table: FeedDedupeTable;
  rule: { grain: 'exact'; keep: 'earliest'; description: string };
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: Record<string, number>;
  groups: number;
  duplicates_dropped: number;
  duplicate_groups: number;
  /**
   * Groups whose candidates differ in a data column. Under these rules a group IS the rows equal in
   * every data column, so this is 0: the choice of row changes only feed_timestamp and lineage.
   */
  conflicting_groups: number;
  conflicting_groups_by_column: Record<string, number>;
  rows_kept: { key: number; exact: number };
  examples: FeedDedupeExample[];
  load: Pick<
    LoadSummary,
    'keys_listed' | 'keys_loaded' | 'keys_skipped' | 'keys_failed' | 'skipped' | 'failed'
  >;
}

export interface FeedDedupeOptions {
  table: FeedDedupeTable;
  sources: Store[];
  glob: string;
  concurrency: number;
  cacheDir: string;
  maxObjectSize: number;
  reporter: Reporter;
  examples?: number;
  signal?: AbortSignal;
}

const stringOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

function orderBy(columns: readonly string[]): SqlFragment {
  return sqlJoin(
    columns.map((c) => sql`${sqlIdentList([c])} ASC NULLS LAST`),
    ', ',
  );
}

/**
 * Reads raw archives as ingest does, for one of the feed tables, and reports which rows its rule
 * keeps: every file is its own batch (batchFiles 1), so each batch's kept rows are all of that
 * file's rows and every publication of a prediction (sighting of an alert version) reaches the
 * report as a candidate. Copies inside one file are counted in rows_read, not listed.
 */
export async function feedDedupeReport(options: FeedDedupeOptions): Promise<FeedDedupeReport> {
  const rule = rules[options.table];
  const run = await loadArchive({
    sources: options.sources,
    glob: options.glob,
    rule: { grain: 'exact', keep: 'earliest' },
    concurrency: options.concurrency,
    cacheDir: options.cacheDir,
    maxObjectSize: options.maxObjectSize,
    strict: false,
    reporter: options.reporter,
    feeds: [options.table],
    batchFiles: 1,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const info = run.feeds[options.table];
    const files = info?.keptFiles ?? [];
    const rejectedByReason = info?.rejected ?? {};
    const rowsRead = info?.rows ?? 0;
    const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
    let groups = 0;
    let duplicateGroups = 0;
    const examples: FeedDedupeExample[] = [];
    if (files.length > 0) {
      const connection = run.db.connection;
      await runSqlFile(connection, 'dedupe/07_feed_candidates', {
        files: sqlStringList(files),
        day_of: sqlIdentList([rule.dayOf]),
        grain: sqlIdentList(rule.grain),
        order: orderBy(rule.order),
      });
      const [counts] = await readSqlFile(connection, 'dedupe/08_feed_report_counts');
      groups = Number(counts?.groups ?? 0);
      duplicateGroups = Number(counts?.duplicate_groups ?? 0);
      const picked = await readSqlFile(connection, 'dedupe/09_feed_example_groups', {
        limit: sqlInteger(options.examples ?? 3),
      });
      for (const g of picked) {
        const rows = await readSqlFile(connection, 'dedupe/10_feed_group_candidates', {
          group_id: sqlInteger(Number(g.group_id)),
        });
        examples.push({
          day: String(g.day),
          group: Object.fromEntries(rule.grain.map((c) => [c, g[c] ?? null])),
          conflicting: false,
          differing_columns: [],
          candidates: rows.map((r) => ({
            feed_timestamp: stringOrNull(r[rule.dayOf]),
            source_key: String(r.source_key),
            entity_index: Number(r.entity_index),
            ...(rule.lineage.includes('update_index') ? { update_index: Number(r.update_index) } : {}),
            values: {},
            kept: Number(r.rank) === 1,
          })),
        });
      }
    }
    const s = run.summary;
    return {
      table: options.table,
      rule: { grain: 'exact', keep: 'earliest', description: feedRuleText[options.table] },
      rows_read: rowsRead,
      rows_rejected: rejected,
      rows_rejected_by_reason: rejectedByReason,
      groups,
      duplicates_dropped: rowsRead - rejected - groups,
      duplicate_groups: duplicateGroups,
      conflicting_groups: 0,
      conflicting_groups_by_column: {},
      rows_kept: { key: groups, exact: groups },
      examples,
      load: {
        keys_listed: s.keys_listed,
        keys_loaded: s.keys_loaded,
        keys_skipped: s.keys_skipped,
        keys_failed: s.keys_failed,
        skipped: s.skipped,
        failed: s.failed,
      },
    };
  } finally {
    await run.dispose();
  }
}
