import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeProtobuf, plainDecode, toCamelCase } from './feedEncodings.js';

/**
 * Hand-made trip_updates and alerts scenarios with their expected rows written by hand, and a
 * reference decode of real feeds into both tables (JSON.parse, or protobufjs's own toObject, and
 * the tables' rules in a few lines), shared by the feeds tests.
 */
const header = (timestamp: number) => ({
  gtfs_realtime_version: '2.0',
  incrementality: 'FULL_DATASET',
  timestamp,
});
export const feed = (timestamp: number, entity: object[]) => ({ header: header(timestamp), entity });

const t1 = (stops: object[]) => ({
  id: 'T1',
  trip_update: {
    trip: {
      trip_id: 'T1',
      route_id: 'Red',
      direction_id: 0,
      start_date: '20240309',
      schedule_relationship: 'SCHEDULED',
    },
    vehicle: { id: 'R1', label: '1801' },
    timestamp: 1710028775,
    stop_time_update: stops,
  },
});
const stopA = { stop_sequence: 1, stop_id: 'A', arrival: { time: 1710029000, delay: 30 } };
const stopB = {
  stop_sequence: 2,
  stop_id: 'B',
  arrival: { time: 1710029100 },
  departure: { time: 1710029120, uncertainty: 60 },
};
const stopBLater = {
  stop_sequence: 2,
  stop_id: 'B',
  arrival: { time: 1710029160 },
  departure: { time: 1710029120, uncertainty: 60 },
};
const stopC = { stop_sequence: 3, stop_id: 'C', arrival: { time: 1710029400 } };
const t2 = {
  id: 'T2',
  trip_update: {
    trip: { trip_id: 'T2' },
    stop_time_update: [{ arrival: { time: 1710029000 } }, { stop_id: 'C', schedule_relationship: 'SKIPPED' }],
  },
};
const noTrip = { id: 'X', trip_update: { trip: { route_id: 'Red' }, stop_time_update: [{ stop_id: 'A' }] } };

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));

export const tripUpdateArchive = {
  'tu-1.json': json(feed(1710028780, [t1([stopA, stopB]), noTrip, t2])),
  'tu-2.json.gz': gzipSync(json(feed(1710028790, [t1([stopA, stopB])]))),
  'tu-3.json': gzipSync(json(feed(1710028805, [t1([stopA, stopBLater])]))), // gzip by header only
  'tu-4.json': json(toCamelCase(feed(1710028810, [t1([stopA, stopBLater, stopC])]), true)),
  'tu-5.pb': encodeProtobuf(feed(1710028815, [t2])),
};

// Every column of trip_updates, written by hand: the earliest publication of each prediction, per day.
export const row = (o: Record<string, unknown>) => ({
  feed_timestamp: null,
  trip_update_timestamp: null,
  trip_id: null,
  route_id: null,
  direction_id: null,
  start_date: null,
  start_time: null,
  trip_schedule_relationship: null,
  vehicle_id: null,
  vehicle_label: null,
  stop_sequence: null,
  stop_id: null,
  arrival_time: null,
  departure_time: null,
  arrival_delay: null,
  departure_delay: null,
  arrival_uncertainty: null,
  departure_uncertainty: null,
  stop_schedule_relationship: null,
  source_key: null,
  entity_index: null,
  update_index: null,
  ...o,
});
const T1 = {
  trip_update_timestamp: '2024-03-09 23:59:35+00',
  trip_id: 'T1',
  route_id: 'Red',
  direction_id: 0,
  start_date: '20240309',
  trip_schedule_relationship: 'SCHEDULED',
  vehicle_id: 'R1',
  vehicle_label: '1801',
};
const A = { stop_sequence: 1, stop_id: 'A', arrival_time: '2024-03-10 00:03:20+00', arrival_delay: 30 };
const B = {
  stop_sequence: 2,
  stop_id: 'B',
  arrival_time: '2024-03-10 00:05:00+00',
  departure_time: '2024-03-10 00:05:20+00',
  departure_uncertainty: 60,
};
const BLater = { ...B, arrival_time: '2024-03-10 00:06:00+00' };
const C = { stop_sequence: 3, stop_id: 'C', arrival_time: '2024-03-10 00:10:00+00' };
const T2C = { trip_id: 'T2', stop_id: 'C', stop_schedule_relationship: 'SKIPPED' };

export const expectedTripUpdates = [
  // 2024-03-09: tu-1's predictions; tu-2 re-publishes them unchanged (dropped).
  row({
    feed_timestamp: '2024-03-09 23:59:40+00',
    ...T1,
    ...A,
    source_key: 'tu-1.json',
    entity_index: 0,
    update_index: 0,
  }),
  row({
    feed_timestamp: '2024-03-09 23:59:40+00',
    ...T1,
    ...B,
    source_key: 'tu-1.json',
    entity_index: 0,
    update_index: 1,
  }),
  row({
    feed_timestamp: '2024-03-09 23:59:40+00',
    ...T2C,
    source_key: 'tu-1.json',
    entity_index: 2,
    update_index: 1,
  }),
  // 2024-03-10: stop A unchanged but on a new day; stop B changed; tu-4 (camelCase, numbers as
  // strings) repeats both and adds C; tu-5 (protobuf) repeats T2's skipped stop on the new day.
  row({
    feed_timestamp: '2024-03-10 00:00:05+00',
    ...T1,
    ...A,
    source_key: 'tu-3.json',
    entity_index: 0,
    update_index: 0,
  }),
  row({
    feed_timestamp: '2024-03-10 00:00:05+00',
    ...T1,
    ...BLater,
    source_key: 'tu-3.json',
    entity_index: 0,
    update_index: 1,
  }),
  row({
    feed_timestamp: '2024-03-10 00:00:10+00',
    ...T1,
    ...C,
    source_key: 'tu-4.json',
    entity_index: 0,
    update_index: 2,
  }),
  row({
    feed_timestamp: '2024-03-10 00:00:15+00',
    ...T2C,
    source_key: 'tu-5.pb',
    entity_index: 0,
    update_index: 1,
  }),
];

// Alerts: A1's header changes at 23:55 and changes back at 23:58; A2 never changes; both are seen
// on both sides of midnight, after it in camelCase JSON with enum numbers and in protobuf.
const alert = (id: string, headerText: object, extra: object = {}) => ({
  id,
  alert: {
    active_period: [{ start: 1710000000 }, { start: 1710100000, end: 1710200000 }],
    informed_entity: [
      { agency_id: '1', route_id: 'Red', route_type: 1 },
      { stop_id: 'place-pktrm', trip: { trip_id: 'T1' } },
    ],
    cause: 'TECHNICAL_PROBLEM',
    effect: 'SIGNIFICANT_DELAYS',
    header_text: headerText,
    severity_level: 'WARNING',
    ...extra,
  },
});
const v1 = {
  translation: [
    { text: 'Retrasos', language: 'es' },
    { text: 'Red Line delays', language: 'en' },
  ],
};
const v2 = { translation: [{ text: 'Red Line delays of 20 minutes', language: 'en' }] };
const a2 = alert(
  'A2',
  { translation: [{ text: 'Elevator out' }] },
  {
    cause: 'MAINTENANCE',
    effect: 'ACCESSIBILITY_ISSUE',
    severity_level: undefined,
    url: { translation: [{ text: 'https://example.org/a2', language: 'en' }] },
    description_text: { translation: [{ text: 'Use the ramp', language: 'en' }] },
  },
);
const alertNumbersAsEnums = (a: any) => ({
  ...a,
  alert: {
    ...a.alert,
    cause: a.alert.cause === 'MAINTENANCE' ? 9 : 3,
    effect: a.alert.effect === 'ACCESSIBILITY_ISSUE' ? 11 : 3,
    ...(a.alert.severity_level ? { severity_level: 3 } : {}),
  },
});

export const alertArchive = {
  'al-1.json': json(feed(1710028200, [alert('A1', v1), a2])),
  'al-2.json': json(feed(1710028500, [alert('A1', v2), a2])),
  'al-3.json.gz': gzipSync(json(feed(1710028680, [alert('A1', v1), a2]))),
  'al-4.json': json(
    toCamelCase(feed(1710028920, [alertNumbersAsEnums(alert('A1', v2)), alertNumbersAsEnums(a2)]), true),
  ),
  'al-5.pb': encodeProtobuf(feed(1710029100, [JSON.parse(JSON.stringify(a2))])),
};

const periods = [
  { start: '2024-03-09 16:00:00+00', end: null },
  { start: '2024-03-10 19:46:40+00', end: '2024-03-11 23:33:20+00' },
];
const entities = [
  { agency_id: '1', route_id: 'Red', route_type: 1, direction_id: null, trip_id: null, stop_id: null },
  {
    agency_id: null,
    route_id: null,
    route_type: null,
    direction_id: null,
    trip_id: 'T1',
    stop_id: 'place-pktrm',
  },
];
const A1 = {
  alert_id: 'A1',
  cause: 'TECHNICAL_PROBLEM',
  effect: 'SIGNIFICANT_DELAYS',
  severity_level: 'WARNING',
  description_text: null,
  url: null,
  active_periods: periods,
  informed_entities: entities,
};
const A2 = {
  alert_id: 'A2',
  cause: 'MAINTENANCE',
  effect: 'ACCESSIBILITY_ISSUE',
  severity_level: null,
  header_text: 'Elevator out',
  description_text: 'Use the ramp',
  url: 'https://example.org/a2',
  active_periods: periods,
  informed_entities: entities,
};
export const ordered = (o: Record<string, unknown>) => ({
  alert_id: o.alert_id,
  first_seen: o.first_seen,
  last_seen: o.last_seen,
  cause: o.cause,
  effect: o.effect,
  severity_level: o.severity_level,
  header_text: o.header_text,
  description_text: o.description_text,
  url: o.url,
  active_periods: o.active_periods,
  informed_entities: o.informed_entities,
  source_key: o.source_key,
  entity_index: o.entity_index,
});
export const expectedAlerts = [
  ordered({
    ...A1,
    header_text: 'Red Line delays',
    first_seen: '2024-03-09 23:50:00+00',
    last_seen: '2024-03-09 23:58:00+00',
    source_key: 'al-1.json',
    entity_index: 0,
  }),
  ordered({
    ...A2,
    first_seen: '2024-03-09 23:50:00+00',
    last_seen: '2024-03-09 23:58:00+00',
    source_key: 'al-1.json',
    entity_index: 1,
  }),
  ordered({
    ...A1,
    header_text: 'Red Line delays of 20 minutes',
    first_seen: '2024-03-09 23:55:00+00',
    last_seen: '2024-03-09 23:55:00+00',
    source_key: 'al-2.json',
    entity_index: 0,
  }),
  ordered({
    ...A1,
    header_text: 'Red Line delays of 20 minutes',
    first_seen: '2024-03-10 00:02:00+00',
    last_seen: '2024-03-10 00:02:00+00',
    source_key: 'al-4.json',
    entity_index: 0,
  }),
  ordered({
    ...A2,
    first_seen: '2024-03-10 00:02:00+00',
    last_seen: '2024-03-10 00:05:00+00',
    source_key: 'al-4.json',
    entity_index: 1,
  }),
];

export const plainFeed = (bytes: Buffer): any => {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return raw.toString('latin1', 0, 64).trimStart().startsWith('{')
    ? JSON.parse(raw.toString())
    : plainDecode(raw);
};
const time = (s: unknown) =>
  s === undefined || s === null
    ? null
    : new Date(Number(s) * 1000).toISOString().replace('T', ' ').replace('.000Z', '+00');
const int = (v: unknown) => (v === undefined || v === null ? null : Number(v));
const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

export function referenceTripUpdates(key: string, bytes: Buffer) {
  const feed = plainFeed(bytes);
  const seen = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  (feed.entity ?? []).forEach((e: any, entityIndex: number) => {
    const tu = e.trip_update;
    if (!tu) return;
    (tu.stop_time_update ?? []).forEach((s: any, updateIndex: number) => {
      const r = row({
        feed_timestamp: time(feed.header.timestamp),
        trip_update_timestamp: time(tu.timestamp),
        trip_id: str(tu.trip?.trip_id),
        route_id: str(tu.trip?.route_id),
        direction_id: int(tu.trip?.direction_id),
        start_date: str(tu.trip?.start_date),
        start_time: str(tu.trip?.start_time),
        trip_schedule_relationship: str(tu.trip?.schedule_relationship),
        vehicle_id: str(tu.vehicle?.id),
        vehicle_label: str(tu.vehicle?.label),
        stop_sequence: int(s.stop_sequence),
        stop_id: str(s.stop_id),
        arrival_time: time(s.arrival?.time),
        departure_time: time(s.departure?.time),
        arrival_delay: int(s.arrival?.delay),
        departure_delay: int(s.departure?.delay),
        arrival_uncertainty: int(s.arrival?.uncertainty),
        departure_uncertainty: int(s.departure?.uncertainty),
        stop_schedule_relationship: str(s.schedule_relationship),
        source_key: key,
        entity_index: entityIndex,
        update_index: updateIndex,
      });
      if (r.trip_id === null || (r.stop_sequence === null && r.stop_id === null)) return;
      const { feed_timestamp: _f, source_key: _k, entity_index: _e, update_index: _u, ...data } = r;
      const prediction = JSON.stringify(data);
      if (seen.has(prediction)) return; // one file, one day: the first occurrence is the earliest
      seen.add(prediction);
      rows.push(r);
    });
  });
  return rows;
}

function english(text: any): string | null {
  if (!text) return null;
  const translations: any[] = Array.isArray(text) ? text.map((t) => t.translation) : (text.translation ?? []);
  const en = translations.find((t) => /^en(-|$)/i.test(t.language ?? ''));
  return (en ?? translations[0])?.text ?? null;
}

export function referenceAlerts(key: string, bytes: Buffer) {
  const feed = plainFeed(bytes);
  const byVersion = new Map<string, Record<string, unknown>>();
  (feed.entity ?? []).forEach((e: any, entityIndex: number) => {
    const a = e.alert;
    if (!a || e.id === undefined) return;
    const content = {
      alert_id: e.id,
      cause: str(a.cause),
      effect: str(a.effect),
      severity_level: str(a.severity_level),
      header_text: english(a.header_text),
      description_text: english(a.description_text),
      url: english(a.url),
      active_periods: (a.active_period ?? []).map((p: any) => ({ start: time(p.start), end: time(p.end) })),
      informed_entities: (a.informed_entity ?? []).map((i: any) => ({
        agency_id: str(i.agency_id),
        route_id: str(i.route_id),
        route_type: int(i.route_type),
        direction_id: int(i.direction_id),
        trip_id: str(i.trip?.trip_id),
        stop_id: str(i.stop_id),
      })),
    };
    const version = JSON.stringify(content);
    if (byVersion.has(version)) return;
    const seenAt = time(feed.header.timestamp);
    byVersion.set(
      version,
      ordered({
        ...content,
        first_seen: seenAt,
        last_seen: seenAt,
        source_key: key,
        entity_index: entityIndex,
      }),
    );
  });
  return [...byVersion.values()].sort((x: any, y: any) =>
    x.alert_id < y.alert_id ? -1 : x.alert_id > y.alert_id ? 1 : 0,
  );
}
