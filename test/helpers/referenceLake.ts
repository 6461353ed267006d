import { gunzipSync } from 'node:zlib';

/**
 * An independent model of what an rtlake lake must hold, written from the README and issue 2 (not
 * from sql/): gunzip when the bytes are gzip, JSON.parse, one row per entity[].vehicle, drop rows
 * without vehicle id or timestamp, keep one row per (vehicle_id, timestamp) by the newest
 * feed_timestamp, then the greatest source_key, then the greatest entity_index, and put each kept
 * row in the UTC day of its own timestamp. Plain loops and objects, nothing shared with src/.
 */

/** One archive object as the test stored it: its key (lineage) and its bytes. */
export interface ArchiveFile {
  key: string;
  bytes: Buffer;
}

/** A lake row in a form both sides can produce: instants as epoch microseconds. */
export interface LakeRow {
  feed_timestamp: number | null;
  vehicle_id: string | null;
  current_status: string | null;
  current_stop_sequence: number | null;
  occupancy_status: string | null;
  bearing: number | null;
  latitude: number | null;
  longitude: number | null;
  stop_id: string | null;
  timestamp: number | null;
  direction_id: number | null;
  route_id: string | null;
  schedule_relationship: string | null;
  start_date: string | null;
  start_time: string | null;
  trip_id: string | null;
  label: string | null;
  source_key: string;
  entity_index: number;
}

export const lakeColumns = [
  'feed_timestamp',
  'vehicle_id',
  'current_status',
  'current_stop_sequence',
  'occupancy_status',
  'bearing',
  'latitude',
  'longitude',
  'stop_id',
  'timestamp',
  'direction_id',
  'route_id',
  'schedule_relationship',
  'start_date',
  'start_time',
  'trip_id',
  'label',
  'source_key',
  'entity_index',
] as const;

export type FileVerdict =
  | { loaded: true; rows: LakeRow[]; entities: number }
  | {
      loaded: false;
      reason:
        'empty' | 'corrupt_gzip' | 'invalid_json' | 'not_a_feed' | 'no_entity_list' | 'feed_not_selected';
    };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A number from a JSON number or a numeric string; anything else is null. */
function numberOf(v: Json | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

function integerOf(v: Json | undefined): number | null {
  const n = numberOf(v);
  return n === null ? null : Math.round(n);
}

/** Seconds since the epoch -> microseconds; null when it is no representable instant (JS Date's range). */
function instantOf(v: Json | undefined): number | null {
  const n = numberOf(v);
  return n === null || !(Math.abs(n) <= 8.64e12) ? null : Math.round(n * 1_000_000);
}

function textOf(v: Json | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const get = (o: Json | undefined, key: string): Json | undefined => (isObject(o) ? o[key] : undefined);

/** What one archive object must become: its rows, or the reason it is skipped. */
export function readArchiveFile(file: ArchiveFile): FileVerdict {
  let bytes = file.bytes;
  if (bytes.toString('utf8').trim() === '') return { loaded: false, reason: 'empty' };
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return { loaded: false, reason: 'corrupt_gzip' };
    }
  }
  let feed: Json;
  try {
    feed = JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    return { loaded: false, reason: 'invalid_json' };
  }
  if (!isObject(feed) || !isObject(feed.header)) return { loaded: false, reason: 'not_a_feed' };
  // Issue 5: a feed whose entity is missing is skipped (entity: [] is an empty snapshot, loaded).
  if (feed.entity === undefined || feed.entity === null) return { loaded: false, reason: 'no_entity_list' };
  if (!Array.isArray(feed.entity))
    throw new Error(`${file.key}: the reference does not model a non-list entity`);
  const entities = feed.entity;
  const feedTimestamp = instantOf(feed.header.timestamp);
  const rows: LakeRow[] = [];
  let otherKinds = 0;
  entities.forEach((entity, index) => {
    const vehicle = get(entity, 'vehicle');
    if (!isObject(vehicle)) {
      if (isObject(get(entity, 'trip_update')) || isObject(get(entity, 'alert'))) otherKinds++;
      return;
    }
    const position = vehicle.position;
    const trip = vehicle.trip;
    const descriptor = vehicle.vehicle;
    rows.push({
      feed_timestamp: feedTimestamp,
      vehicle_id: textOf(get(descriptor, 'id')),
      current_status: textOf(vehicle.current_status),
      current_stop_sequence: integerOf(vehicle.current_stop_sequence),
      occupancy_status: textOf(vehicle.occupancy_status),
      bearing: numberOf(get(position, 'bearing')),
      latitude: numberOf(get(position, 'latitude')),
      longitude: numberOf(get(position, 'longitude')),
      stop_id: textOf(vehicle.stop_id),
      timestamp: instantOf(vehicle.timestamp),
      direction_id: integerOf(get(trip, 'direction_id')),
      route_id: textOf(get(trip, 'route_id')),
      schedule_relationship: textOf(get(trip, 'schedule_relationship')),
      start_date: textOf(get(trip, 'start_date')),
      start_time: textOf(get(trip, 'start_time')),
      trip_id: textOf(get(trip, 'trip_id')),
      label: textOf(get(descriptor, 'label')),
      source_key: file.key,
      entity_index: index,
    });
  });
  if (rows.length === 0 && otherKinds > 0) return { loaded: false, reason: 'feed_not_selected' };
  return { loaded: true, rows, entities: entities.filter(isObject).length };
}

/** Byte order of UTF-8, the order S3 lists keys in. */
const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** True when `a` beats `b` under keep=latest. A missing feed timestamp loses to any present one. */
function beats(a: LakeRow, b: LakeRow): boolean {
  if (a.feed_timestamp !== b.feed_timestamp) {
    if (a.feed_timestamp === null) return false;
    if (b.feed_timestamp === null) return true;
    return a.feed_timestamp > b.feed_timestamp;
  }
  const byKey = compareKeys(a.source_key, b.source_key);
  if (byKey !== 0) return byKey > 0;
  return a.entity_index > b.entity_index;
}

/** The UTC day partition of an instant in microseconds, as rtlake names it (no zero padding). */
export function partitionOf(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  return `year=${d.getUTCFullYear()}/month=${d.getUTCMonth() + 1}/day=${d.getUTCDate()}`;
}

export interface ReferenceLake {
  /** partition -> (vehicle_id \u0000 timestamp) -> kept row. */
  partitions: Map<string, Map<string, LakeRow>>;
  loadedKeys: string[];
  skipped: Map<string, string>;
  rowsRead: number;
  rowsRejected: number;
  duplicatesDropped: number;
  entitiesWithoutVehicle: number;
}

export const groupKey = (row: { vehicle_id: string | null; timestamp: number | null }) =>
  `${row.vehicle_id}\u0000${row.timestamp}`;

/** The lake after ingesting `files` (in any number of runs, in any order). */
export function referenceLake(files: ArchiveFile[]): ReferenceLake {
  const kept = new Map<string, LakeRow>();
  const result: ReferenceLake = {
    partitions: new Map(),
    loadedKeys: [],
    skipped: new Map(),
    rowsRead: 0,
    rowsRejected: 0,
    duplicatesDropped: 0,
    entitiesWithoutVehicle: 0,
  };
  for (const file of files) {
    const verdict = readArchiveFile(file);
    if (!verdict.loaded) {
      result.skipped.set(file.key, verdict.reason);
      continue;
    }
    result.loadedKeys.push(file.key);
    result.entitiesWithoutVehicle += verdict.entities - verdict.rows.length;
    for (const row of verdict.rows) {
      result.rowsRead++;
      if (row.vehicle_id === null || row.timestamp === null) {
        result.rowsRejected++;
        continue;
      }
      const k = groupKey(row);
      const other = kept.get(k);
      if (other) result.duplicatesDropped++;
      if (!other || beats(row, other)) kept.set(k, row);
    }
  }
  for (const [k, row] of kept) {
    const p = partitionOf(row.timestamp!);
    let day = result.partitions.get(p);
    if (!day) result.partitions.set(p, (day = new Map()));
    day.set(k, row);
  }
  return result;
}

/**
 * Every way a lake read back from Parquet differs from the reference (empty means equal): missing
 * or extra partitions, rows in the wrong day, rows missing, extra or duplicated, and any column
 * of a kept row that differs (so a different kept row shows up as a source_key/entity_index diff).
 */
export function lakeDifferences(
  lakeRows: (LakeRow & { partition: string })[],
  reference: ReferenceLake,
  limit = 20,
): string[] {
  const diffs: string[] = [];
  const seen = new Map<string, LakeRow & { partition: string }>();
  for (const row of lakeRows) {
    if (diffs.length >= limit) break;
    const k = groupKey(row);
    if (seen.has(k)) {
      diffs.push(
        `duplicate (vehicle_id, timestamp) ${row.vehicle_id} @ ${row.timestamp}: in ${seen.get(k)!.partition} and ${row.partition}`,
      );
      continue;
    }
    seen.set(k, row);
    if (row.timestamp === null || partitionOf(row.timestamp) !== row.partition) {
      diffs.push(
        `${row.vehicle_id} @ ${row.timestamp} is in ${row.partition}, its UTC day is ${row.timestamp === null ? 'none' : partitionOf(row.timestamp)}`,
      );
      continue;
    }
    const expected = reference.partitions.get(row.partition)?.get(k);
    if (!expected) {
      diffs.push(
        `extra row ${row.vehicle_id} @ ${row.timestamp} in ${row.partition} (from ${row.source_key}#${row.entity_index})`,
      );
      continue;
    }
    for (const column of lakeColumns) {
      if (!Object.is(row[column], expected[column])) {
        diffs.push(
          `${row.vehicle_id} @ ${row.timestamp}: ${column} is ${JSON.stringify(row[column])}, expected ${JSON.stringify(expected[column])} ` +
            `(kept ${row.source_key}#${row.entity_index}, expected ${expected.source_key}#${expected.entity_index})`,
        );
        break;
      }
    }
  }
  for (const [partition, rows] of reference.partitions) {
    for (const [k, row] of rows) {
      if (diffs.length >= limit) return diffs;
      if (!seen.has(k))
        diffs.push(
          `missing row ${row.vehicle_id} @ ${row.timestamp} in ${partition} (from ${row.source_key}#${row.entity_index})`,
        );
    }
  }
  return diffs;
}

/** partition -> row count, sorted by partition, for readable assertions. */
export function referenceCounts(reference: ReferenceLake): Record<string, number> {
  return Object.fromEntries(
    [...reference.partitions]
      .map(([p, rows]) => [p, rows.size] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
