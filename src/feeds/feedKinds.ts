import { UsageError } from '../errors.js';
import type { EntityKinds } from './decodeProtobuf.js';

/** The tables rtlake builds, one per GTFS-realtime feed kind. */
export const feedKinds = ['vehicle_positions', 'trip_updates', 'alerts'] as const;
export type FeedKind = (typeof feedKinds)[number];

/** The word each kind's files carry in every MBTA naming era (2018 busloc, 2019 concentrate, 2022+ cdn.mbta.com). */
export const feedNameWords: Record<FeedKind, string> = {
  vehicle_positions: 'VehiclePositions',
  trip_updates: 'TripUpdates',
  alerts: 'Alerts',
};

/** What a feed's entities carry, by table (an entity with a vehicle and a trip update counts in both). */
export const entityCount: Record<FeedKind, (kinds: EntityKinds) => number> = {
  vehicle_positions: (k) => k.vehicles,
  trip_updates: (k) => k.tripUpdates,
  alerts: (k) => k.alerts,
};

const entityWords: Record<FeedKind, string> = {
  vehicle_positions: 'vehicle',
  trip_updates: 'trip_update',
  alerts: 'alert',
};

/** A --feed value that names no table: a usage error (exit 2). */
export class FeedSelectionError extends UsageError {
  constructor(readonly value: string) {
    super(`--feed ${value}: expected vehicle_positions, trip_updates, alerts or all`);
  }
}

/**
 * The tables a run builds from repeated --feed values (each may also be a comma list; `all` is
 * every table); none given is vehicle_positions alone, as before --feed existed. Always in
 * feedKinds order, without repeats.
 */
export function parseFeedSelection(values: readonly string[]): FeedKind[] {
  if (values.length === 0) return ['vehicle_positions'];
  const chosen = new Set<FeedKind>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value.trim();
    if (name === 'all') feedKinds.forEach((k) => chosen.add(k));
    else if ((feedKinds as readonly string[]).includes(name)) chosen.add(name as FeedKind);
    else throw new FeedSelectionError(value);
  }
  return feedKinds.filter((k) => chosen.has(k));
}

/**
 * The default --glob for a selection: files whose name carries a selected kind's word and ends in
 * .json or .pb, either optionally .gz. The name only chooses what to list; what a file is comes
 * from its bytes.
 */
export function defaultFeedGlob(selected: readonly FeedKind[]): string {
  const words = selected.map((k) => feedNameWords[k]);
  const word = words.length === 1 ? words[0]! : `{${words.join(',')}}`;
  return `*${word}*.{json,pb}{,.gz}`;
}

/** A file none of whose entities belongs to a selected table, though some belong to another. */
export interface NotSelected {
  reason: 'feed_not_selected';
  detail: string;
}

/**
 * Whether a feed's entities give any selected table rows; if none do but another kind's would,
 * the file is skipped as feed_not_selected, naming what it holds. An empty feed is loaded (0 rows).
 */
export function judgeSelection(kinds: EntityKinds, selected: readonly FeedKind[]): NotSelected | null {
  if (selected.some((k) => entityCount[k](kinds) > 0)) return null;
  const held = feedKinds.filter((k) => entityCount[k](kinds) > 0);
  if (held.length === 0) return null;
  const what = held.map((k) => `${entityCount[k](kinds)} ${entityWords[k]}`).join(' and ');
  return {
    reason: 'feed_not_selected',
    detail: `holds ${held.map((k) => feedNameWords[k]).join(' and ')} (${what} entities); --feed selects ${selected.join(', ')}`,
  };
}
