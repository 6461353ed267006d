import { sqlIdent, sqlInteger, sqlString } from './sqlText.js';

/**
 * SQL the workbench derives from a user query. The query goes in as a subquery, names and values
 * are quoted here; nothing a user typed is glued in outside the subquery it came from.
 */

/** A statement fit for use as a subquery: trailing ';' and whitespace removed. */
export function asSubquery(sql: string): string {
  return sql
    .trim()
    .replace(/;+\s*$/, '')
    .trim();
}

export function sortedQuery(sql: string, column: string, direction: 'asc' | 'desc'): string {
  return `SELECT * FROM (${asSubquery(sql)}\n) ORDER BY ${sqlIdent(column).text} ${direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`;
}

export function summarizeQuery(sql: string): string {
  return `SUMMARIZE (${asSubquery(sql)}\n)`;
}

export function frequencyQuery(sql: string, column: string): string {
  const c = sqlIdent(column).text;
  return `SELECT ${c}, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct FROM (${asSubquery(sql)}\n) GROUP BY ${c} ORDER BY n DESC, ${c} NULLS LAST`;
}

/** Duplicate groups, conflicting ones first; ts_us identifies the group's timestamp exactly. */
export const duplicateGroupsQuery = `SELECT vehicle_id, "timestamp", candidates, conflicting, differing_columns, epoch_us("timestamp") AS ts_us
FROM duplicate_groups
ORDER BY conflicting DESC, candidates DESC, vehicle_id, "timestamp"
LIMIT 1000`;

/** A group's candidate rows from pings, the kept one(s) first, then oldest feed first; `kept` marks what the rule kept. */
export function groupCandidatesQuery(vehicleId: string, timestampUs: number): string {
  const v = sqlString(vehicleId).text;
  const t = sqlInteger(timestampUs).text;
  return `SELECT (p.source_key, p.entity_index) IN (
    SELECT (k.source_key, k.entity_index) FROM vehicle_positions AS k WHERE k.vehicle_id = ${v} AND epoch_us(k."timestamp") = ${t}
  ) AS kept, p.*
FROM pings AS p
WHERE p.vehicle_id = ${v} AND epoch_us(p."timestamp") = ${t}
ORDER BY kept DESC, p.feed_timestamp NULLS LAST, p.source_key, p.entity_index`;
}
