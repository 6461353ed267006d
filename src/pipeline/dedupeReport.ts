import type { DuckDBConnection } from '@duckdb/node-api';
import { readSqlFile } from '../db/runSqlFile.js';
import { sql, sqlInteger, sqlString } from '../db/sqlText.js';
import { describeRule, grainColumns, ruleOrderBy, type DedupeRule } from './dedupeRule.js';

export interface DedupeCandidate {
  feed_timestamp: string | null;
  source_key: string;
  entity_index: number;
  /** The values of the columns in which this group's candidates differ. */
  values: Record<string, unknown>;
  kept: boolean;
}

export interface DedupeExample {
  vehicle_id: string;
  timestamp: string;
  conflicting: boolean;
  differing_columns: string[];
  candidates: DedupeCandidate[];
}

export interface DedupeReport {
  rule: { grain: DedupeRule['grain']; keep: DedupeRule['keep']; description: string };
  vehicle: string | null;
  rows_read: number;
  rows_rejected: number;
  groups: number;
  duplicates_dropped: number;
  duplicate_groups: number;
  conflicting_groups: number;
  conflicting_groups_by_column: Record<string, number>;
  /** Rows each grain keeps on this data: how far --dedupe key and --dedupe exact differ. */
  rows_kept: { key: number; exact: number };
  examples: DedupeExample[];
}

/**
 * The dedupe report over a workspace opened with raw sources (pings, vehicle_positions and
 * duplicate_groups present): counts, which columns conflict, and a few example groups with every
 * candidate and the one the rule keeps.
 */
export async function dedupeReport(
  connection: DuckDBConnection,
  rule: DedupeRule,
  options: { vehicle?: string; examples?: number } = {},
): Promise<DedupeReport> {
  const vehicle = options.vehicle !== undefined ? sqlString(options.vehicle) : sql`NULL::VARCHAR`;
  const counts = (
    await readSqlFile(connection, 'dedupe/03_report_counts', {
      vehicle,
      exact_grain_columns: grainColumns('exact'),
    })
  )[0]!;
  const byColumn = await readSqlFile(connection, 'dedupe/04_conflicts_by_column', { vehicle });
  const groups = await readSqlFile(connection, 'dedupe/05_example_groups', {
    vehicle,
    limit: sqlInteger(options.examples ?? 3),
  });
  const examples: DedupeExample[] = [];
  for (const g of groups) {
    const differing = (g.differing_columns as string[] | null) ?? [];
    const rows = await readSqlFile(connection, 'dedupe/06_group_candidates', {
      vehicle: sqlString(String(g.vehicle_id)),
      ts: sqlInteger(Number(g.ts_us)),
      rule_order: ruleOrderBy(rule, { alias: 'p' }),
    });
    examples.push({
      vehicle_id: String(g.vehicle_id),
      timestamp: String(g.timestamp),
      conflicting: Boolean(g.conflicting),
      differing_columns: differing,
      candidates: rows.map((r) => ({
        feed_timestamp: r.feed_timestamp === null ? null : String(r.feed_timestamp),
        source_key: String(r.source_key),
        entity_index: Number(r.entity_index),
        values: Object.fromEntries(differing.map((c) => [c, r[c] ?? null])),
        kept: Boolean(r.kept),
      })),
    });
  }
  const rowsRead = Number(counts.rows_read);
  const rejected = Number(counts.rows_rejected);
  const groupCount = Number(counts.groups);
  return {
    rule: { grain: rule.grain, keep: rule.keep, description: describeRule(rule) },
    vehicle: options.vehicle ?? null,
    rows_read: rowsRead,
    rows_rejected: rejected,
    groups: groupCount,
    duplicates_dropped: rowsRead - rejected - groupCount,
    duplicate_groups: Number(counts.duplicate_groups),
    conflicting_groups: Number(counts.conflicting_groups),
    conflicting_groups_by_column: Object.fromEntries(
      byColumn.map((r) => [String(r.column), Number(r.groups)]),
    ),
    rows_kept: { key: groupCount, exact: Number(counts.rows_kept_exact) },
    examples,
  };
}
