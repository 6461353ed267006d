import { sql, sqlIdentList, sqlJoin, type SqlFragment } from '../db/sqlText.js';

/**
 * The rules of the trip_updates and alerts tables, rendered once for every statement that applies
 * them (the batch step in sql/ingest/ and the lake merge in sql/lake/). Both keep the earliest
 * sighting: a prediction's value is the moment it was first made, an alert version's identity is
 * when it first appeared; the latest copy of either says nothing new.
 */

/** Every data column of trip_updates but feed_timestamp: equal in all of them = one prediction. */
export const tripUpdateGrainColumns = [
  'trip_update_timestamp',
  'trip_id',
  'route_id',
  'direction_id',
  'start_date',
  'start_time',
  'trip_schedule_relationship',
  'vehicle_id',
  'vehicle_label',
  'stop_sequence',
  'stop_id',
  'arrival_time',
  'departure_time',
  'arrival_delay',
  'departure_delay',
  'arrival_uncertainty',
  'departure_uncertainty',
  'stop_schedule_relationship',
] as const;

/** The content of an alert version: the entity id and what the alert says. */
export const alertGrainColumns = [
  'alert_id',
  'cause',
  'effect',
  'severity_level',
  'header_text',
  'description_text',
  'url',
  'active_periods',
  'informed_entities',
] as const;

/** Where the rule runs: within a batch, files are ranked (file_rank orders like source_key). */
export type RuleScope = 'batch' | 'lake';

/**
 * trip_updates: PARTITION BY the grain, ORDER BY the oldest feed_timestamp, then the smallest
 * source_key (file_rank within a batch), entity_index and update_index: a total order, so the kept
 * row never depends on batches, threads or file order.
 */
export function tripUpdateRuleSlots(scope: RuleScope): { grain: SqlFragment; order: SqlFragment } {
  const lineage = [scope === 'batch' ? 'file_rank' : 'source_key', 'entity_index', 'update_index'];
  const terms = ['feed_timestamp', ...lineage].map((c) => sql`${sqlIdentList([c])} ASC NULLS LAST`);
  return { grain: sqlIdentList(tripUpdateGrainColumns), order: sqlJoin(terms, ', ') };
}

/**
 * alerts: GROUP BY the version's content; the first sighting is the smallest (time, source_key,
 * entity_index), as a struct for arg_min (file_rank stands in for source_key within a batch).
 */
export function alertRuleSlots(scope: RuleScope): { grain: SqlFragment; first_sighting: SqlFragment } {
  const [time, key] = scope === 'batch' ? ['feed_timestamp', 'file_rank'] : ['first_seen', 'source_key'];
  const parts = [
    sql`t := ${sqlIdentList([time])}`,
    sql`k := ${sqlIdentList([key])}`,
    sql`i := ${sqlIdentList(['entity_index'])}`,
  ];
  return {
    grain: sqlIdentList(alertGrainColumns),
    first_sighting: sql`struct_pack(${sqlJoin(parts, ', ')})`,
  };
}

/** The rules in words, for summaries and reports. */
export const feedRuleText = {
  trip_updates:
    'one row per prediction (every column but feed_timestamp and lineage equal) per UTC day of feed_timestamp, keeping the earliest publication: the oldest feed_timestamp, then the smallest source_key, entity_index and update_index',
  alerts:
    'one row per version of an alert (its id and content) per UTC day of feed_timestamp, first_seen and last_seen its oldest and newest sighting that day, lineage of the first sighting',
} as const;
