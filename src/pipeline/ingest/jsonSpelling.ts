/**
 * Which spelling a JSON feed's field names use, judged from its first decompressed bytes (the
 * head the fetch stage reads anyway). A GTFS-realtime JSON file is written by one producer in one
 * spelling: MBTA's enhanced JSON and protobuf's preserving-field-names printer in snake_case
 * (`current_status`, `trip_id`, `gtfs_realtime_version`), the proto3 JSON mapping in camelCase
 * (`currentStatus`, `tripId`, `gtfsRealtimeVersion`). MBTA's files start with their entities, others
 * with the header: either way a few kilobytes show the spelling.
 *
 * `snake`: the head shows snake_case names of fields that have two spellings and no camelCase one;
 * the batch read may then use the snake_case schema alone (sql/ingest/02_batch_rows.sql), which
 * builds 11 struct fields fewer per entity. `either`: anything else (camelCase, a mix, a head that
 * shows neither): read with both spellings, as always.
 */
export type JsonSpelling = 'snake' | 'either';

/** The fields the vehicle read knows in two spellings, and the header's version. */
const snakeNames = [
  'gtfs_realtime_version',
  'current_status',
  'current_stop_sequence',
  'occupancy_status',
  'stop_id',
  'direction_id',
  'route_id',
  'schedule_relationship',
  'start_date',
  'start_time',
  'trip_id',
];
const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
// One regular expression per spelling: a single pass over the head each. (Eleven includes() for
// the camelCase names, which a snake_case head never holds, scanned it eleven times: 25 ms of
// 1,500 files' 35.)
const quotedAny = (names: string[]) => new RegExp(`"(?:${names.join('|')})"`);
const snakeKey = quotedAny(snakeNames);
const camelKey = quotedAny(snakeNames.map(camel));

export function jsonSpelling(head: Uint8Array): JsonSpelling {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  if (!snakeKey.test(text)) return 'either';
  return camelKey.test(text) ? 'either' : 'snake';
}
