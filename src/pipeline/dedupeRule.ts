import { sqlIdent, sqlKeyword, SqlFragment } from '../db/sqlText.js';

export type Keep = 'latest' | 'earliest';
export type DedupeGrain = 'key' | 'exact';

export interface DedupeRule {
  grain: DedupeGrain;
  keep: Keep;
}

export const defaultRule: DedupeRule = { grain: 'key', keep: 'latest' };

/** The data columns that, with (vehicle_id, timestamp), make the --dedupe exact grain. */
export const exactGrainColumns = [
  'current_status',
  'current_stop_sequence',
  'occupancy_status',
  'bearing',
  'latitude',
  'longitude',
  'stop_id',
  'direction_id',
  'route_id',
  'schedule_relationship',
  'start_date',
  'start_time',
  'trip_id',
  'label',
] as const;

/** The grain's extra columns for a SQL slot: nothing for key, ", c1, c2, …" (quoted) for exact. */
export function exactColumns(rule: DedupeRule): SqlFragment {
  return new SqlFragment(
    rule.grain === 'exact' ? exactGrainColumns.map((c) => `, ${sqlIdent(c).text}`).join('') : '',
  );
}

/** The ORDER BY direction of the rule's ordering: DESC keeps the latest, ASC the earliest. */
export function ruleDirection(rule: DedupeRule): SqlFragment {
  return sqlKeyword(rule.keep === 'latest' ? 'DESC' : 'ASC', ['DESC', 'ASC']);
}

/** The rule's slots in every statement that applies it: the grain's extra columns and the direction. */
export function ruleSlots(rule: DedupeRule): { exact_columns: SqlFragment; direction: SqlFragment } {
  return { exact_columns: exactColumns(rule), direction: ruleDirection(rule) };
}

/** The slots of sql/20_dedupe.sql for a rule: input relation, output name, grain and direction. */
export function dedupeSlots(
  rule: DedupeRule,
  input: string,
  output: string,
  relation: 'TEMP TABLE' | 'VIEW',
): Record<string, SqlFragment> {
  return {
    input: sqlIdent(input),
    output: sqlIdent(output),
    relation: sqlKeyword(relation, ['TEMP TABLE', 'VIEW']),
    ...ruleSlots(rule),
  };
}

/** One sentence for humans, used in summaries and the README. */
export function describeRule(rule: DedupeRule): string {
  const grain =
    rule.grain === 'key'
      ? 'one row per (vehicle_id, timestamp)'
      : 'one row per distinct ping (all data columns but feed_timestamp)';
  const order =
    rule.keep === 'latest'
      ? 'the newest feed_timestamp, then the greatest source_key, then the greatest entity_index'
      : 'the oldest feed_timestamp, then the smallest source_key, then the smallest entity_index';
  return `${grain}, keeping the row with ${order}`;
}
