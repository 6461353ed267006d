import {
  sql,
  sqlIdent,
  sqlIdentList,
  sqlJoin,
  sqlKeyword,
  sqlString,
  type SqlFragment,
} from '../db/sqlText.js';

export type Keep = 'latest' | 'earliest';
export type DedupeGrain = 'key' | 'exact';

/**
 * The dedupe rule, stated once. Every statement that applies it (a batch's winners, the run-wide
 * dedupe, the lake merge, the report's candidates) gets its window or ORDER BY from here, and every
 * description of it in words comes from the same lists.
 */
export interface DedupeRule {
  grain: DedupeGrain;
  keep: Keep;
}

/** A ping: one vehicle at one moment. */
const pingColumns = ['vehicle_id', 'timestamp'] as const;

/**
 * The data columns: with the ping's columns they make the --dedupe exact grain (every column but
 * feed_timestamp and lineage), and they are the columns in which a ping's copies can differ.
 */
export const dataColumns = [
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

/**
 * The ordering, most significant first: the feed's time, then lineage. Lineage (source_key,
 * entity_index) identifies one row, so the order is total and the kept row never depends on file
 * order, batch size or threads. A statement may rank source keys by an integer that orders like
 * them (file_rank within a batch, merge_rank in the merge): the order is the same.
 */
export type LineageKey = 'source_key' | 'file_rank' | 'merge_rank';
const orderColumns = (key: LineageKey) => ['feed_timestamp', key, 'entity_index'];

/** The columns of the grain: the ping, plus for --dedupe exact every data column. */
export function grainColumns(grain: DedupeGrain, alias?: string): SqlFragment {
  return sqlIdentList([...pingColumns, ...(grain === 'exact' ? dataColumns : [])], alias);
}

/** DESC keeps the latest, ASC the earliest. */
function direction(rule: DedupeRule): SqlFragment {
  return sqlKeyword(rule.keep === 'latest' ? 'DESC' : 'ASC', ['DESC', 'ASC']);
}

/**
 * The rule's ORDER BY: the first row under it is the one kept. A feed without header.timestamp
 * sorts last either way.
 */
export function ruleOrderBy(
  rule: DedupeRule,
  options: { key?: LineageKey; alias?: string } = {},
): SqlFragment {
  const dir = direction(rule);
  const terms = orderColumns(options.key ?? 'source_key').map(
    (c) => sql`${sqlIdentList([c], options.alias)} ${dir} NULLS LAST`,
  );
  return sql`ORDER BY ${sqlJoin(terms, ', ')}`;
}

/** The rule's window: `row_number() OVER ({{rule_window}}) = 1` is the kept row of each group. */
export function ruleWindow(rule: DedupeRule, key: LineageKey = 'source_key'): SqlFragment {
  return sql`PARTITION BY ${grainColumns(rule.grain)} ${ruleOrderBy(rule, { key })}`;
}

/**
 * For each data column, its name when a group's candidates differ in it (two distinct values, or a
 * value and a null), else NULL: the duplicate groups' differing_columns.
 */
export function differingColumns(alias: string): SqlFragment {
  const checks = dataColumns.map((name) => {
    const c = sqlIdentList([name], alias);
    return sql`CASE WHEN count(DISTINCT ${c}) + max(CASE WHEN ${c} IS NULL THEN 1 ELSE 0 END) > 1 THEN ${sqlString(name)} END`;
  });
  return sql`list_filter([${sqlJoin(checks, ',\n  ')}], c -> c IS NOT NULL)`;
}

/** The slots of sql/dedupe statements that apply the rule to {{input}}, making {{output}}. */
export function dedupeSlots(
  rule: DedupeRule,
  input: string,
  output: string,
  relation: 'TEMP TABLE' | 'VIEW',
): Record<'input' | 'output' | 'relation' | 'rule_window', SqlFragment> {
  return {
    input: sqlIdent(input),
    output: sqlIdent(output),
    relation: sqlKeyword(relation, ['TEMP TABLE', 'VIEW']),
    rule_window: ruleWindow(rule),
  };
}

/** The ordering in words: "the newest feed_timestamp, then the greatest source_key, then …". */
export function describeRuleOrder(rule: DedupeRule): string {
  const [time, ...lineage] = orderColumns('source_key');
  const most = rule.keep === 'latest' ? 'greatest' : 'smallest';
  return [
    `the ${rule.keep === 'latest' ? 'newest' : 'oldest'} ${time}`,
    ...lineage.map((c) => `the ${most} ${c}`),
  ].join(', then ');
}

/** The rule in one sentence, for summaries, reports and the workbench. */
export function describeRule(rule: DedupeRule): string {
  const grain =
    rule.grain === 'key'
      ? `one row per (${pingColumns.join(', ')})`
      : 'one row per distinct ping (all data columns but feed_timestamp)';
  return `${grain}, keeping the row with ${describeRuleOrder(rule)}`;
}
