import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFeedMessage, float32Shortest } from '../../src/feeds/decodeProtobuf.js';
import { FeedFormatError } from '../../src/feeds/feedErrors.js';
import { sniffEncoding } from '../../src/feeds/sniffFormat.js';
import { asFloat32, encodeProtobuf, FeedMessage, plainDecode } from '../helpers/feedEncodings.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const protobufFixtures = [
  'protobuf-agencies/g.pb',
  'protobuf-agencies/00:04.wmata.pb',
  'protobuf-agencies/bullrunner-vehicle-positions',
  'mbta-trip-updates-alerts/vehiclepositions.pb',
  'mbta-trip-updates-alerts/tripupdates.pb',
  'mbta-trip-updates-alerts/alerts.pb',
  'mbta-trip-updates-alerts/VehiclePositions-staging.pb',
];

const floatFields = new Set(['latitude', 'longitude', 'bearing', 'speed']);
/** The reference's float32 fields as the decimal the sender meant (the test's own shortest-digits search). */
function shortenFloats(value: any, key = ''): any {
  if (Array.isArray(value)) return value.map((v) => shortenFloats(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenFloats(v, k)]));
  }
  return typeof value === 'number' && floatFields.has(key) ? asFloat32(value) : value;
}

function reasonOf(bytes: Uint8Array): string {
  try {
    decodeFeedMessage(bytes);
    return 'decoded';
  } catch (err) {
    if (err instanceof FeedFormatError) return err.reason;
    throw err;
  }
}

describe('decodeFeedMessage', () => {
  it.each(protobufFixtures)('%s decodes to what protobufjs itself reads, absent fields absent', (path) => {
    const bytes = fixture(path);
    const { feed, kinds } = decodeFeedMessage(bytes);
    const reference = plainDecode(bytes);
    reference.entity ??= [];
    expect(feed).toEqual(shortenFloats(reference));
    expect(kinds).toEqual({
      entities: reference.entity.length,
      vehicles: reference.entity.filter((e: any) => e.vehicle).length,
      tripUpdates: reference.entity.filter((e: any) => e.trip_update).length,
      alerts: reference.entity.filter((e: any) => e.alert).length,
    });
  });

  it('says which kinds a mixed feed carries (NYCT G line: vehicles and trip updates)', () => {
    expect(decodeFeedMessage(fixture('protobuf-agencies/g.pb')).kinds).toEqual({
      entities: 42,
      vehicles: 21,
      tripUpdates: 21,
      alerts: 0,
    });
  });

  it('never invents a default: a vehicle without trip, bearing or timestamp has none', () => {
    const bytes = encodeProtobuf({
      header: { gtfs_realtime_version: '2.0' },
      entity: [
        {
          id: 'v',
          vehicle: { vehicle: { id: 'bus 1' }, position: { latitude: 42.350590789, longitude: -71.11 } },
        },
      ],
    });
    const { feed } = decodeFeedMessage(bytes);
    expect(feed).toEqual({
      header: { gtfs_realtime_version: '2.0' },
      entity: [
        {
          id: 'v',
          vehicle: { vehicle: { id: 'bus 1' }, position: { latitude: 42.35059, longitude: -71.11 } },
        },
      ],
    });
  });

  it('a missing required field costs that field, not the feed (an entity without id, a position without longitude)', () => {
    // Written byte by byte: the proto's required fields stop protobufjs from encoding these.
    const header = [0x0a, 0x05, 0x0a, 0x03, ...Buffer.from('2.0')]; // header { gtfs_realtime_version: "2.0" }
    const position = [0x0d, 0x00, 0x00, 0x80, 0x3f]; // position { latitude: 1.0 } (float 1.0)
    const vehicle = [0x12, position.length, ...position]; // vehicle { position }
    const entity = [0x22, vehicle.length, ...vehicle]; // entity { vehicle }, no id
    const bytes = Buffer.from([...header, 0x12, entity.length, ...entity]);
    expect(() => plainDecode(bytes)).toThrow(/missing required/); // the strict library refuses it
    expect(decodeFeedMessage(bytes)).toEqual({
      feed: {
        header: { gtfs_realtime_version: '2.0' },
        entity: [{ vehicle: { position: { latitude: 1 } } }],
      },
      kinds: { entities: 1, vehicles: 1, tripUpdates: 0, alerts: 0 },
    });
  });

  it('keeps uint64 times as numbers and enums as names', () => {
    const bytes = encodeProtobuf({
      header: { gtfs_realtime_version: '2.0', incrementality: 'DIFFERENTIAL', timestamp: 4102444800 },
      entity: [{ id: 'a', alert: { cause: 'STRIKE', active_period: [{ start: 4102444800 }] } }],
    });
    const { feed } = decodeFeedMessage(bytes) as any;
    expect(feed.header).toEqual({
      gtfs_realtime_version: '2.0',
      incrementality: 'DIFFERENTIAL',
      timestamp: 4102444800,
    });
    expect(feed.entity[0].alert).toEqual({ cause: 'STRIKE', active_period: [{ start: 4102444800 }] });
  });

  it('ignores unknown fields and extensions', () => {
    const plain = encodeProtobuf({ header: { gtfs_realtime_version: '2.0', timestamp: 1 }, entity: [] });
    // Field 1000 of FeedMessage (an extension number), varint 7: tag (1000 << 3) = 8000 = 0xc0 0x3e.
    const extended = Buffer.concat([plain, Buffer.from([0xc0, 0x3e, 0x07])]);
    expect(decodeFeedMessage(extended).feed).toEqual({
      header: { gtfs_realtime_version: '2.0', timestamp: 1 },
      entity: [],
    });
  });

  it('a header-only feed is an empty feed, not an error', () => {
    const bytes = encodeProtobuf({ header: { gtfs_realtime_version: '1.0', timestamp: 5 } });
    expect(decodeFeedMessage(bytes).kinds).toEqual({ entities: 0, vehicles: 0, tripUpdates: 0, alerts: 0 });
  });

  it('names what is wrong with bytes that are not a readable feed', () => {
    const g = fixture('protobuf-agencies/g.pb');
    expect(reasonOf(g.subarray(0, g.length - 7))).toBe('truncated_protobuf');
    expect(reasonOf(g.subarray(0, 5000))).toBe('truncated_protobuf');
    const damaged = Buffer.from(g);
    // The first entity's tag (field 2, length-delimited: 0x12) becomes field 2 with wire type 7, which does not exist.
    const at = 2 + g[1]!;
    expect(damaged[at]).toBe(0x12);
    damaged[at] = 0x17;
    expect(reasonOf(damaged)).toBe('corrupt_protobuf');
    expect(reasonOf(Buffer.from('vehicle_id,latitude\ny1,42.3\n'))).toBe('not_a_feed');
    expect(reasonOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('not_a_feed');
    // A FeedEntity alone, and a FeedMessage whose header has no version: not feeds.
    const entityOnly = FeedMessage.lookupType('FeedEntity');
    expect(reasonOf(entityOnly.encode(entityOnly.fromObject({ id: 'T1' })).finish())).toBe('not_a_feed');
    // Written by hand: header (field 1) holding only timestamp (field 3) = 5; no gtfs_realtime_version.
    expect(reasonOf(Buffer.from([0x0a, 0x02, 0x18, 0x05]))).toBe('not_a_feed');
    expect(reasonOf(Buffer.from([0x0a, 0x05, 0x0a, 0x03, 0x32, 0x2e, 0x30]))).toBe('decoded');
  });

  it('every seeded mutation of a real feed decodes or is skipped with a reason, never thrown otherwise', () => {
    const base = fixture('mbta-trip-updates-alerts/vehiclepositions.pb');
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(base);
      const kind = i % 3;
      if (kind === 0) {
        const at = next() % bytes.length;
        bytes[at] = bytes[at]! ^ (1 << (next() % 8));
      }
      const cut = kind === 1 ? bytes.subarray(0, next() % bytes.length) : bytes;
      const inserted =
        kind === 2
          ? Buffer.concat([cut.subarray(0, next() % cut.length), Buffer.from([next() & 0xff]), cut])
          : cut;
      seen.add(reasonOf(inserted));
    }
    expect(
      [...seen].every((r) => ['decoded', 'truncated_protobuf', 'corrupt_protobuf', 'not_a_feed'].includes(r)),
    ).toBe(true);
    expect(seen.has('truncated_protobuf')).toBe(true);
  });
});

describe('float32Shortest', () => {
  it('gives the fewest digits that read back as the same float32', () => {
    for (const [meant, digits] of [
      [42.35059, '42.35059'],
      [-71.11004782, '-71.11005'],
      [283, '283'],
      [0.1, '0.1'],
      [1e-7, '1e-7'],
    ] as const) {
      const widened = Math.fround(meant);
      expect(String(float32Shortest(widened))).toBe(digits);
      expect(Math.fround(Number(float32Shortest(widened)))).toBe(widened);
    }
    expect(float32Shortest(Number.NaN)).toBe('NaN');
  });
});

describe('sniffEncoding', () => {
  const pb = fixture('protobuf-agencies/g.pb');
  const jsonText = Buffer.from('{"header":{"gtfsRealtimeVersion":"2.0"},"entity":[]}');
  it('reads gzip by its magic bytes, then JSON by its first character, else protobuf', () => {
    expect(sniffEncoding(pb)).toEqual({ gzip: false, format: 'protobuf' });
    expect(sniffEncoding(gzipSync(pb).subarray(0, 4096))).toEqual({ gzip: true, format: 'protobuf' });
    expect(sniffEncoding(jsonText)).toEqual({ gzip: false, format: 'json' });
    expect(sniffEncoding(gzipSync(jsonText))).toEqual({ gzip: true, format: 'json' });
    expect(
      sniffEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \n\t'), jsonText])),
    ).toEqual({
      gzip: false,
      format: 'json',
    });
    expect(sniffEncoding(fixture('mbta-trip-updates-alerts/alerts_enhanced.json'))).toEqual({
      gzip: false,
      format: 'json',
    });
  });
});

describe('prepareFeedFile', () => {
  it('leaves JSON to DuckDB, decodes protobuf (gzip or not, any name), skips what is neither', async () => {
    const { mkdirSync, mkdtempSync, writeFileSync, readFileSync: read } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { prepareFeedFile } = await import('../../src/feeds/prepareFeedFile.js');
    const { DecoderPool } = await import('../../src/feeds/decoderPool.js');
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-prepare-'));
    const pool = new DecoderPool(0);
    const write = (name: string, bytes: Buffer) => (writeFileSync(join(dir, name), bytes), join(dir, name));
    const vpJson = fixture(
      'seed-snapshots/2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
    );
    expect(await prepareFeedFile(write('a.json.gz', vpJson), join(dir, 'a.out'), pool)).toMatchObject({
      kind: 'json',
      gzip: true,
    });
    const pb = fixture('protobuf-agencies/g.pb');
    const out = join(dir, 'decoded');
    mkdirSync(out);
    const decoded = await prepareFeedFile(write('b', gzipSync(pb)), out, pool);
    expect(decoded).toEqual({
      kind: 'decoded',
      files: {
        kinds: { entities: 42, vehicles: 21, tripUpdates: 21, alerts: 0 },
        vehicles: { file: expect.stringMatching(/\.vehicles\.csv$/), part: 0 },
        feed: expect.stringMatching(/-0\.json$/),
      },
    });
    if (decoded.kind !== 'decoded') throw new Error('not decoded');
    // The vehicles as flat CSV, one line each (their values: feeds-vehicle-formats.test.ts);
    // the trip updates beside them as enhanced JSON.
    expect(read(decoded.files.vehicles!.file, 'utf8').trimEnd().split('\n')).toHaveLength(21);
    expect(JSON.parse(read(decoded.files.feed!, 'utf8'))).toEqual(decodeFeedMessage(pb).feed);
    // A feed of vehicles only writes no JSON; one of neither writes nothing.
    const vehiclesOnly = await prepareFeedFile(
      write('e.pb', fixture('protobuf-agencies/bullrunner-vehicle-positions')),
      out,
      pool,
    );
    expect(vehiclesOnly).toMatchObject({
      kind: 'decoded',
      files: { vehicles: { file: expect.stringMatching(/\.vehicles\.csv$/), part: 0 } },
    });
    expect(vehiclesOnly.kind === 'decoded' && vehiclesOnly.files.feed).toBe(undefined);
    expect(await prepareFeedFile(write('c.pb', pb.subarray(0, 9000)), out, pool)).toMatchObject({
      kind: 'skipped',
      reason: 'truncated_protobuf',
    });
    expect(await prepareFeedFile(write('d.json', Buffer.from('id,lat\n')), out, pool)).toMatchObject({
      kind: 'skipped',
      reason: 'not_a_feed',
    });
  });
});
