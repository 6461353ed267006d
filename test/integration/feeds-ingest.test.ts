import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asFloat32,
  canonicalFeed,
  encodeProtobuf,
  plainDecode,
  toCamelCase,
} from '../helpers/feedEncodings.js';
import {
  alertArchive,
  expectedAlerts,
  expectedTripUpdates,
  referenceAlerts,
  referenceTripUpdates,
  tripUpdateArchive,
} from '../helpers/feedScenarios.js';
import { lakeTableRows } from '../helpers/feedTables.js';
import { midnightArchive } from '../helpers/midnightArchive.js';
import { downloadPrefix, readLakeFolder } from '../helpers/parquetLake.js';
import { lakeDifferences, referenceLake, type ArchiveFile } from '../helpers/referenceLake.js';
import { json, runCli } from '../helpers/runCli.js';
import { startS3rver, type S3TestServer } from '../helpers/s3Server.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const fixture = (path: string) => readFileSync(join(fixtures, path));
const midnight = Date.UTC(2022, 0, 1) / 1000;

/**
 * VehiclePositions snapshots across midnight, each stored in one of six encodings in turn: MBTA
 * enhanced JSON gzipped by name, by Content-Encoding only, not at all; camelCase JSON (numbers as
 * strings); protobuf; gzipped protobuf. `reference` holds each as the enhanced JSON it is equal to.
 */
const snapshots = midnightArchive(
  fixture('real-mbta/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz'),
  {
    prefix: 'mix/',
    start: midnight - 60,
    count: 18,
    stepSeconds: 7,
    vehicles: 25,
    seed: 14,
  },
);
const objects: { key: string; bytes: Buffer; contentEncoding?: string }[] = [];
const reference: ArchiveFile[] = [];
snapshots.forEach((s, i) => {
  const gz = s.contentEncoding || s.key.endsWith('.gz') ? s.bytes : gzipSync(s.bytes);
  const feed = canonicalFeed(gz);
  const text = Buffer.from(JSON.stringify(feed));
  const stem = s.key.replace(/VehiclePositions.*$/, 'VehiclePositions');
  const encodings = [
    { key: `${stem}_enhanced.json.gz`, bytes: gzipSync(text) },
    { key: `${stem}_enhanced.json`, bytes: gzipSync(text), contentEncoding: 'gzip' },
    { key: `${stem}_enhanced.json`, bytes: text },
    { key: `${stem}_camel.json`, bytes: Buffer.from(JSON.stringify(toCamelCase(feed, true))) },
    { key: `${stem}.pb`, bytes: encodeProtobuf(feed) },
    { key: `${stem}.pb.gz`, bytes: gzipSync(encodeProtobuf(feed)) },
  ];
  const o = encodings[i % encodings.length]!;
  objects.push(o);
  reference.push({ key: o.key, bytes: text });
});

/** The hand-made trip updates and alerts under archive keys in the same prefix. */
const tripKeys: Record<string, string> = {
  'tu-1.json': 'mix/2024/03/09/2024-03-09T23:59:41Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json',
  'tu-2.json.gz':
    'mix/2024/03/09/2024-03-09T23:59:51Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz',
  'tu-3.json': 'mix/2024/03/10/2024-03-10T00:00:06Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json',
  'tu-4.json': 'mix/2024/03/10/2024-03-10T00:00:11Z_https_cdn.mbta.com_realtime_TripUpdates_camel.json',
  'tu-5.pb': 'mix/2024/03/10/2024-03-10T00:00:16Z_https_cdn.mbta.com_realtime_TripUpdates.pb',
};
const alertKeys: Record<string, string> = {
  'al-1.json': 'mix/2024/03/09/2024-03-09T23:50:01Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json',
  'al-2.json': 'mix/2024/03/09/2024-03-09T23:55:01Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json',
  'al-3.json.gz': 'mix/2024/03/09/2024-03-09T23:58:01Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json.gz',
  'al-4.json': 'mix/2024/03/10/2024-03-10T00:02:01Z_https_cdn.mbta.com_realtime_Alerts_camel.json',
  'al-5.pb': 'mix/2024/03/10/2024-03-10T00:05:01Z_https_cdn.mbta.com_realtime_Alerts.pb',
};
// Keys compare like the hand-written scenario's names, so the expected rows only change lineage.
const renamed = (rows: Record<string, unknown>[], keys: Record<string, string>) =>
  rows.map((r) => ({ ...r, source_key: keys[r.source_key as string] }));

const strip = (rows: Record<string, unknown>[]) => rows.map(({ year: _y, month: _m, day: _d, ...r }) => r);

describe('one archive, every format and feed, on S3 (s3rver)', () => {
  let server: S3TestServer;
  const work = mkdtempSync(join(tmpdir(), 'rtlake-feeds-ingest-'));
  const ingest = (out: string, extra: string[]) =>
    runCli(
      [
        'ingest',
        '--source',
        's3://archive/mix/',
        '--out',
        out,
        '--cache-dir',
        join(work, 'cache'),
        '--json',
        '--quiet',
        ...extra,
      ],
      { env: { ...server.env, TZ: 'America/Los_Angeles' } },
    );
  const download = async (prefix: string) => {
    const dir = join(work, prefix);
    await downloadPrefix(server.client, 'lake', `${prefix}/`, dir);
    return dir;
  };

  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    await server.createBucket('lake');
    for (const o of objects)
      await server.put(
        'archive',
        o.key,
        o.bytes,
        o.contentEncoding ? { ContentEncoding: o.contentEncoding } : {},
      );
    for (const [name, key] of Object.entries(tripKeys))
      await server.put('archive', key, tripUpdateArchive[name as keyof typeof tripUpdateArchive]);
    for (const [name, key] of Object.entries(alertKeys))
      await server.put('archive', key, alertArchive[name as keyof typeof alertArchive]);
    await server.put(
      'archive',
      'mix/2024/03/10/2024-03-10T00:00:27.960548___integration.mybluemix.net_vehicleCount',
      '{"n": 3}',
    );
  }, 120_000);
  afterAll(async () => server?.stop());

  it('--feed all with the default glob gives exactly the reference rows in each of the three tables', async () => {
    const r = await ingest('s3://lake/all', ['--feed', 'all']);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_listed).toBe(objects.length + 10);
    expect(s.keys_loaded).toBe(objects.length + 10);
    expect(s.keys_ignored_by_glob).toBe(1);
    const lake = await download('all');
    const vehicles = await readLakeFolder(lake);
    const expectedVehicles = referenceLake(reference);
    expect(lakeDifferences(vehicles.rows, expectedVehicles)).toEqual([]);
    expect(vehicles.rows.length).toBeGreaterThan(20);
    expect(s.tables.vehicle_positions.rows_written).toBe(vehicles.rows.length);
    expect(
      strip(await lakeTableRows(lake, 'trip_updates', 'source_key, entity_index, update_index')),
    ).toEqual(renamed(expectedTripUpdates, tripKeys));
    expect(strip(await lakeTableRows(lake, 'alerts', 'first_seen, alert_id, source_key'))).toEqual(
      renamed(expectedAlerts, alertKeys),
    );
    expect(s.tables.trip_updates.rows_written).toBe(expectedTripUpdates.length);
    expect(s.tables.trip_updates.rows_rejected_by_reason).toEqual({
      missing_trip_id: 1,
      missing_stop: 2,
      missing_feed_timestamp: 0,
    });
    expect(s.tables.alerts.rows_written).toBe(expectedAlerts.length);
  });

  it('in batches of 3 files, the same rows (a run of decoded feeds shares one file across batches)', async () => {
    const r = await ingest('s3://lake/small-batches', ['--feed', 'all', '--batch-files', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<any>(r).keys_loaded).toBe(objects.length + 10);
    const lake = await download('small-batches');
    expect(lakeDifferences((await readLakeFolder(lake)).rows, referenceLake(reference))).toEqual([]);
    expect(
      strip(await lakeTableRows(lake, 'trip_updates', 'source_key, entity_index, update_index')),
    ).toEqual(renamed(expectedTripUpdates, tripKeys));
  });

  it('with no --feed, vehicle_positions is as before: the same rows, the other feeds not listed', async () => {
    const r = await ingest('s3://lake/default', []);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_listed).toBe(objects.length);
    expect(s.keys_ignored_by_glob).toBe(11);
    expect(Object.keys(s.tables)).toEqual(['vehicle_positions']);
    const lake = await download('default');
    expect(readdirSync(lake)).toEqual(['vehicle_positions']);
    expect(lakeDifferences((await readLakeFolder(lake)).rows, referenceLake(reference))).toEqual([]);
    // A TripUpdates file under --glob '*' without --feed: skipped, naming what it holds.
    const t = await ingest('s3://lake/star', ['--glob', '*TripUpdates*']);
    expect(t.code).toBe(0);
    expect(json<any>(t).skipped.map((k: any) => k.reason)).toEqual([
      'feed_not_selected',
      'feed_not_selected',
      'feed_not_selected',
      'feed_not_selected',
      'feed_not_selected',
    ]);
  });
});

describe('--feed without vehicle_positions', () => {
  let server: S3TestServer;
  const work = mkdtempSync(join(tmpdir(), 'rtlake-feeds-only-'));
  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    await server.createBucket('lake');
    for (const o of objects)
      await server.put(
        'archive',
        o.key,
        o.bytes,
        o.contentEncoding ? { ContentEncoding: o.contentEncoding } : {},
      );
  }, 120_000);
  afterAll(async () => server?.stop());

  it.each(['trip_updates', 'alerts'])(
    '--feed %s never reads vehicle_positions: every VehiclePositions file, in every encoding, is skipped as not selected',
    async (table) => {
      const r = await runCli(
        [
          'ingest',
          '--source',
          's3://archive/mix/',
          '--out',
          `s3://lake/only-${table}`,
          '--cache-dir',
          join(work, `cache-${table}`),
          '--feed',
          table,
          '--glob',
          '*VehiclePositions*',
          '--json',
          '--quiet',
        ],
        { env: server.env },
      );
      expect(r.code, r.stderr).toBe(0);
      const s = json<any>(r);
      expect(s.keys_listed).toBe(objects.length);
      expect(s.keys_loaded).toBe(0);
      expect(s.skipped).toHaveLength(objects.length);
      // Each names what it holds: its vehicles, counted here from the reference.
      const vehicles = new Map(
        objects.map((o, i) => [
          `s3://archive/${o.key}`,
          JSON.parse(reference[i]!.bytes.toString()).entity.filter((e: any) => e.vehicle).length,
        ]),
      );
      for (const k of s.skipped) {
        expect(k.reason).toBe('feed_not_selected');
        expect(k.detail).toBe(
          `holds VehiclePositions (${vehicles.get(k.key)} vehicle entities); --feed selects ${table}`,
        );
      }
      expect(s.rows_read).toBe(0);
      expect(Object.keys(s.tables)).toEqual([table]);
      expect(s.tables[table].rows_read).toBe(0);
      expect(s.tables[table].partitions).toEqual([]);
    },
  );
});

describe('real feeds of other agencies, each alone with --feed all --glob "*", equal an independent decode', () => {
  const files = [
    'protobuf-agencies/g.pb',
    'protobuf-agencies/00:04.wmata.pb',
    'protobuf-agencies/bullrunner-vehicle-positions',
    'mbta-trip-updates-alerts/tripupdates.pb',
    'mbta-trip-updates-alerts/alerts.pb',
    'mbta-trip-updates-alerts/vehiclepositions.pb',
    'mbta-trip-updates-alerts/VehiclePositions-staging.pb',
    'mbta-trip-updates-alerts/2022-05-04T15:59:48Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json.gz',
    'mbta-trip-updates-alerts/alerts_enhanced.json',
    'empty-entity-list/empty.json.gz',
  ];
  /** The header field of a real protobuf feed alone: a real agency's feed with no entity. */
  const headerOnly = (bytes: Buffer): Buffer => {
    expect(bytes[0]).toBe(0x0a); // field 1 (header), length-delimited
    let length = 0;
    let at = 1;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      length |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    return bytes.subarray(0, at + length);
  };
  // Real feeds under names that say nothing or the wrong thing, and an empty protobuf feed.
  const renamed: [string, string, () => Buffer][] = [
    ['a protobuf named .json', 'VehiclePositions_enhanced.json', () => fixture('protobuf-agencies/g.pb')],
    [
      'a gzipped protobuf named .dat',
      'feed.dat',
      () => gzipSync(fixture('mbta-trip-updates-alerts/vehiclepositions.pb')),
    ],
    [
      'gzipped JSON named .pb',
      'TripUpdates.pb',
      () =>
        fixture(
          'mbta-trip-updates-alerts/2022-05-08T06:04:57Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz',
        ),
    ],
    [
      'an empty protobuf feed (a real header, no entity)',
      'empty.pb',
      () => headerOnly(fixture('protobuf-agencies/g.pb')),
    ],
  ];
  it.each([
    ...files.map((path): [string, string, () => Buffer] => [
      path,
      path.split('/').pop()!,
      () => fixture(path),
    ]),
    ...renamed,
  ])('%s', async (_label, name, content) => {
    const work = mkdtempSync(join(tmpdir(), 'rtlake-feeds-alone-'));
    mkdirSync(join(work, 'archive'));
    const bytes = content();
    writeFileSync(join(work, 'archive', name), bytes);
    const r = await runCli([
      'ingest',
      '--source',
      join(work, 'archive'),
      '--out',
      join(work, 'lake'),
      '--cache-dir',
      join(work, 'cache'),
      '--feed',
      'all',
      '--glob',
      '*',
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_loaded).toBe(1);
    const lake = join(work, 'lake');
    const decoded = plainDecodeOrJson(bytes);
    const vehicleRef = referenceLake([
      { key: name, bytes: Buffer.from(JSON.stringify(float32Positions(decoded))) },
    ]);
    expect(lakeDifferences((await readLakeFolder(lake)).rows, vehicleRef)).toEqual([]);
    expect(strip(await tableRows(lake, 'trip_updates', 'source_key, entity_index, update_index'))).toEqual(
      referenceTripUpdates(name, bytes),
    );
    const alerts = strip(await tableRows(lake, 'alerts', 'alert_id, source_key'));
    expect(alerts).toEqual(referenceAlerts(name, bytes));
  });
});

function plainDecodeOrJson(bytes: Buffer): any {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return raw.toString('latin1', 0, 64).trimStart().startsWith('{')
    ? JSON.parse(raw.toString())
    : plainDecode(raw);
}

function float32Positions(feed: any): any {
  const copy = structuredClone(feed);
  for (const e of copy.entity ?? []) {
    const p = e.vehicle?.position;
    for (const k of ['latitude', 'longitude', 'bearing', 'speed'])
      if (p && typeof p[k] === 'number') p[k] = asFloat32(p[k]);
  }
  return copy;
}

async function tableRows(lake: string, table: string, order: string) {
  try {
    readdirSync(join(lake, table));
  } catch {
    return [];
  }
  return lakeTableRows(lake, table, order);
}
