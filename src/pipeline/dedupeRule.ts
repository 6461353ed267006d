import { sqlIdent, sqlKeyword, SqlFragment } from '../db/sqlText.js';

export type Keep = 'latest' | 'earliest';
export type DedupeGrain = 'key' | 'exact';

export interface DedupeRule {
  grain: DedupeGrain;
  keep: Keep;
}

export const defaultRule: DedupeRule = { grain: 'key', keep: 'latest' };

/** The slots of sql/20_dedupe.sql for a rule: input relation, output name, grain and direction. */
export function dedupeSlots(rule: DedupeRule, input: string, output: string, relation: 'TEMP TABLE' | 'VIEW'): Record<string, SqlFragment> {
  return {
    input: sqlIdent(input),
    output: sqlIdent(output),
    relation: sqlKeyword(relation, ['TEMP TABLE', 'VIEW']),
    exact: sqlKeyword(rule.grain === 'exact' ? 'true' : 'false', ['true', 'false']),
    direction: sqlKeyword(rule.keep === 'latest' ? 'DESC' : 'ASC', ['DESC', 'ASC']),
  };
}

/** One sentence for humans, used in summaries and the README. */
export function describeRule(rule: DedupeRule): string {
  const grain = rule.grain === 'key' ? 'one row per (vehicle_id, timestamp)' : 'one row per distinct ping (all data columns but feed_timestamp)';
  const order =
    rule.keep === 'latest'
      ? 'the newest feed_timestamp, then the greatest source_key, then the greatest entity_index'
      : 'the oldest feed_timestamp, then the smallest source_key, then the smallest entity_index';
  return `${grain}, keeping the row with ${order}`;
}
