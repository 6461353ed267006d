import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeed, float32Shortest, float32ShortestText } from '../../src/feeds/decodeProtobuf.js';
import {
  EntityLineCache,
  vehicleRowColumns,
  vehicleRowsCsv,
  vehicleRowsFromWire,
} from '../../src/feeds/feedRows.js';
import { encodeProtobuf } from '../helpers/feedEncodings.js';

// The decoder's fast path (vehicleRowsFromWire: the message walked with protobufjs's Reader, each
// entity decoded by protobufjs unless its bytes were seen) must write exactly what the whole-message
// path writes (vehicleRowsCsv over decodeFeed), whose rows feeds-vehicle-formats.test.ts checks
// against an independent decode. These tests hold the two paths to each other.

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

function messagePath(bytes: Buffer, part = 0) {
  const { message, kinds } = decodeFeed(bytes);
  return { csv: vehicleRowsCsv(message, kinds.vehicles, part), kinds };
}

const vehicleFeeds = [
  'mbta-trip-updates-alerts/vehiclepositions.pb',
  'mbta-trip-updates-alerts/VehiclePositions-staging.pb',
  'protobuf-agencies/bullrunner-vehicle-positions',
];

function vehicle(id: string, timestamp: number, latitude: number) {
  return {
    id,
    vehicle: {
      trip: { trip_id: `t-${id}`, route_id: 'Red', direction_id: 1, schedule_relationship: 'SCHEDULED' },
      position: { latitude, longitude: -71.05, bearing: 90 },
      current_status: 'STOPPED_AT',
      timestamp,
      stop_id: '70061',
      vehicle: { id, label: `L${id}` },
    },
  };
}

const feed = (timestamp: number, entity: object[]) =>
  encodeProtobuf({ header: { gtfs_realtime_version: '2.0', timestamp }, entity });

describe('vehicle rows straight from the wire', () => {
  it.each(vehicleFeeds)('%s: the same bytes and counts as the whole-message path', (path) => {
    const bytes = fixture(path);
    const expected = messagePath(bytes, 3);
    const cache = new EntityLineCache();
    const first = vehicleRowsFromWire(bytes, cache, 3);
    expect(first).not.toBeNull();
    expect(first!.kinds).toEqual(expected.kinds);
    expect(first!.csv!.toString('utf8')).toBe(expected.csv!.toString('utf8'));
    // Again through the same cache: every entity's line is found, and the file is the same.
    expect(vehicleRowsFromWire(bytes, cache, 3)!.csv!.equals(expected.csv!)).toBe(true);
  });

  it('writes the columns, in the order, that the batch read pins for the CSV (vehicleRowColumns)', () => {
    const sql = readFileSync(new URL('../../sql/ingest/02_batch_rows.sql', import.meta.url), 'utf8');
    const read = sql.slice(sql.indexOf('FROM read_csv('));
    const block = read.slice(read.indexOf('columns = {'));
    const pinned = [...block.slice(0, block.indexOf('}')).matchAll(/'([a-z_]+)': '[A-Z]+'/g)].map(
      (m) => m[1],
    );
    expect(pinned).toEqual([...vehicleRowColumns]);
    // Every line has that many fields (the fixture's strings hold no comma).
    const csv = messagePath(fixture('mbta-trip-updates-alerts/vehiclepositions.pb')).csv!.toString('utf8');
    for (const line of csv.trimEnd().split('\n'))
      expect(line.split(',')).toHaveLength(vehicleRowColumns.length);
  });

  it('a changed entity is never given the line of the one it replaced, whatever slot it lands in', () => {
    const snapshots = [
      feed(1000, [vehicle('a', 990, 42.1), vehicle('b', 991, 42.2), vehicle('c', 992, 42.3)]),
      // a unchanged, b reports again (timestamp + 1), c moves (latitude), d is new.
      feed(1010, [
        vehicle('a', 990, 42.1),
        vehicle('b', 992, 42.2),
        vehicle('c', 992, 42.31),
        vehicle('d', 1, 1),
      ]),
      feed(1020, [vehicle('b', 992, 42.2), vehicle('a', 990, 42.1)]),
    ];
    // One slot, two, many: every entity shares a slot with others, or none does.
    for (const bits of [1, 2, 16]) {
      const cache = new EntityLineCache(bits);
      for (const bytes of snapshots) {
        const fast = vehicleRowsFromWire(bytes, cache)!;
        expect(fast.csv!.toString('utf8')).toBe(messagePath(bytes).csv!.toString('utf8'));
      }
    }
    // The lines themselves, written out by hand for the second snapshot (part 0; doc_entities 4 on the first).
    const lines = messagePath(snapshots[1]!).csv!.toString('utf8').trimEnd().split('\n');
    expect(lines[1]).toBe(
      '0,1,,1010,"b","Lb","STOPPED_AT",,,90,42.2,-71.05,"70061",992,1,"Red","SCHEDULED",,,"t-b"',
    );
    expect(lines[0]!.startsWith('0,0,4,1010,"a"')).toBe(true);
  });

  it('a line found in the cache is not replaced by another entity of the same file', () => {
    // With two slots, some of b..h share a's slot: a's line for the second file comes from the
    // cache, and must still be a's when the file's lines are written out.
    const first = feed(1000, [vehicle('a', 990, 42.1)]);
    const second = feed(
      1010,
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id, i) => vehicle(id, 990 + i, 42.1)),
    );
    const cache = new EntityLineCache(1);
    vehicleRowsFromWire(first, cache);
    expect(vehicleRowsFromWire(second, cache)!.csv!.toString('utf8')).toBe(
      messagePath(second).csv!.toString('utf8'),
    );
  });

  it('leaves to the whole-message decoder what it does not read alone', () => {
    const cache = new EntityLineCache();
    // Trip updates or alerts: the JSON of the feed is needed too.
    expect(vehicleRowsFromWire(fixture('mbta-trip-updates-alerts/tripupdates.pb'), cache)).toBeNull();
    expect(vehicleRowsFromWire(fixture('protobuf-agencies/g.pb'), cache)).toBeNull();
    // Bytes that end early, and a feed without a GTFS-realtime version (decodeFeed names both).
    const bytes = fixture('mbta-trip-updates-alerts/vehiclepositions.pb');
    expect(vehicleRowsFromWire(bytes.subarray(0, bytes.length - 7), cache)).toBeNull();
    // A header of one field, timestamp (field 3) = 5: no version. The encoder would write ''.
    const versionless = Buffer.from([0x0a, 0x02, 0x18, 0x05]);
    expect(() => decodeFeed(versionless)).toThrow(/no GTFS-realtime header/);
    expect(vehicleRowsFromWire(versionless, cache)).toBeNull();
  });

  it('a feed with no vehicle gives no rows and its entity count', () => {
    const bytes = encodeProtobuf({
      header: { gtfs_realtime_version: '2.0', timestamp: 7 },
      entity: [{ id: 'x', is_deleted: true }],
    });
    expect(vehicleRowsFromWire(bytes, new EntityLineCache())).toEqual({
      csv: null,
      kinds: { entities: 1, vehicles: 0, tripUpdates: 0, alerts: 0 },
    });
  });
});

describe('float32ShortestText', () => {
  it('is the shortest decimal that reads back as the same float32, as float32Shortest says', () => {
    const bits = new Uint32Array(1);
    const float = new Float32Array(bits.buffer);
    const values = [42.35059, -71.08974, 0.5, 1.5e-7, 3817423.75, 1e10, 16777217, 359.99, 0];
    // And 20,000 float32 bit patterns spread over the whole range (a fixed stride, no randomness).
    for (let i = 0; i < 20_000; i++) {
      bits[0] = Math.imul(i, 214013) + 2531011;
      values.push(float[0]!);
    }
    // By hand: the float32 nearest each, and its shortest text.
    expect(float32ShortestText(Math.fround(42.35059))).toBe('42.35059');
    expect(float32ShortestText(Math.fround(-71.08974))).toBe('-71.08974');
    expect(float32ShortestText(Math.fround(3817423.75))).toBe('3817423.8');
    expect(float32ShortestText(Math.fround(1e10))).toBe('1e+10');
    expect(float32ShortestText(155)).toBe('155');
    for (const value of values) {
      const text = float32ShortestText(Math.fround(value));
      const expected = float32Shortest(Math.fround(value));
      if (typeof expected === 'string') expect(text).toBe(expected);
      else expect(Number(text)).toBe(expected);
    }
  });
});
