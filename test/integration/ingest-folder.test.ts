import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedSchema, readLakeFolder, type ReadLake } from '../helpers/parquetLake.js';
import {
  lakeDifferences,
  referenceCounts,
  referenceLake,
  type ArchiveFile,
  type ReferenceLake,
} from '../helpers/referenceLake.js';
import { json, runCli } from '../helpers/runCli.js';

const fixtures = join(import.meta.dirname, '../fixtures');

/** Scenario folders whose files are feeds and must be loaded (some with 0 rows). */
const loadedScenarios = [
  'real-mbta',
  'empty-entity-list',
  'one-blank-record',
  'numbers-as-strings',
  'absent-optional-fields',
  'unusable-timestamps',
];
/** Scenario folders whose one file must be skipped, with the reason --json must give. */
const skippedScenarios: Record<string, string> = {
  'corrupt-gzip': 'corrupt_gzip',
  'truncated-gzip': 'corrupt_gzip',
  'truncated-json': 'invalid_json',
  'empty-object': 'empty',
  'feed-without-entity-list': 'no_entity_list',
  'not-a-feed': 'not_a_feed',
  'trip-updates-feed': 'feed_not_selected',
};
const scenarios = [...loadedScenarios, ...Object.keys(skippedScenarios)];

/** For a folder source the lineage key is the path relative to that folder: here, the file name. */
function archiveOf(scenario: string): ArchiveFile[] {
  const dir = join(fixtures, scenario);
  return readdirSync(dir).map((name) => ({ key: name, bytes: readFileSync(join(dir, name)) }));
}

interface Summary {
  keys_listed: number;
  keys_loaded: number;
  keys_skipped: number;
  keys_failed: number;
  skipped: { key: string; reason: string; detail: string }[];
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: { missing_vehicle_id: number; missing_timestamp: number };
  entities_without_vehicle: number;
  duplicates_dropped: number;
  rows_written: number;
  partitions: { partition: string; path: string; rows: number; rows_before: number; status: string }[];
}

const sec = (s: number) => s * 1_000_000;

describe('ingest from folders (repeatable --source) into a folder lake', () => {
  const work = mkdtempSync(join(tmpdir(), 'rtlake-ingest-folder-'));
  const out = join(work, 'lake');
  const cache = join(work, 'cache');
  const sourceArgs = scenarios.flatMap((s) => ['--source', join(fixtures, s)]);
  let reference: ReferenceLake;
  let first: Summary;
  let lake: ReadLake;

  beforeAll(async () => {
    reference = referenceLake(scenarios.flatMap(archiveOf));
    // A local time zone far from UTC: partitions must still be UTC days.
    const r = await runCli(
      ['ingest', ...sourceArgs, '--glob', '*', '--out', out, '--cache-dir', cache, '--json', '--quiet'],
      { env: { TZ: 'Pacific/Auckland' } },
    );
    expect(r.code, r.stderr).toBe(0);
    first = json<Summary>(r);
    lake = await readLakeFolder(out);
  });

  it('accounts for every file: loaded, or skipped with the reason for its scenario', () => {
    const listed = scenarios.flatMap(archiveOf).length;
    expect(first.keys_listed).toBe(listed);
    expect(first.keys_listed).toBe(first.keys_loaded + first.keys_skipped + first.keys_failed);
    expect(first.keys_failed).toBe(0);
    const byScenario = Object.fromEntries(
      first.skipped.map((s) => [s.key.slice(fixtures.length + 1).split('/')[0], s.reason]),
    );
    expect(byScenario).toEqual(skippedScenarios);
    // The reference reaches the same verdicts on its own.
    expect([...reference.skipped.values()].sort()).toEqual(Object.values(skippedScenarios).sort());
    expect(first.keys_loaded).toBe(reference.loadedKeys.length);
    for (const s of first.skipped) expect(s.detail, s.key).not.toBe('');
  });

  it('counts rows as the reference does: entity: [] and entity: [{}] load with 0 rows', () => {
    expect(first.rows_read).toBe(reference.rowsRead);
    // absent-optional-fields holds one vehicle without vehicle.id and one without timestamp;
    // unusable-timestamps one whose timestamp is an unset uint64 (no instant): rejected, the file loaded.
    expect(first.rows_rejected_by_reason).toEqual({ missing_vehicle_id: 1, missing_timestamp: 2 });
    expect(first.rows_rejected).toBe(reference.rowsRejected);
    // one_blank_record's {} at least. (The alert entity inside absent-optional-fields, a file with
    // vehicles, is not counted since 47ed280: only files without any vehicle are examined.)
    expect(first.entities_without_vehicle).toBeGreaterThanOrEqual(1);
    expect(first.entities_without_vehicle).toBeLessThanOrEqual(reference.entitiesWithoutVehicle);
    expect(first.duplicates_dropped).toBe(reference.duplicatesDropped);
    expect(Object.fromEntries(first.partitions.map((p) => [p.partition, p.rows]))).toEqual(
      referenceCounts(reference),
    );
    expect(first.partitions.every((p) => p.status === 'written')).toBe(true);
  });

  it('writes exactly the reference, row by row, each ping in its own UTC day, one data.parquet per day', () => {
    expect(lakeDifferences(lake.rows, reference)).toEqual([]);
    expect(lake.rows.length).toBe([...reference.partitions.values()].reduce((n, p) => n + p.size, 0));
    expect([...lake.files.keys()].sort()).toEqual(Object.keys(referenceCounts(reference)));
    for (const [partition, names] of lake.files) expect(names, partition).toEqual(['data.parquet']);
    for (const [partition, schema] of lake.schemas) expect(schema, partition).toEqual(expectedSchema);
  });

  it('two files per batch (each batch keeps only its own winners) gives the same lake and the same counts', async () => {
    const small = join(work, 'lake-small-batches');
    const r = await runCli([
      'ingest',
      ...sourceArgs,
      '--glob',
      '*',
      '--out',
      small,
      '--cache-dir',
      cache,
      '--batch-files',
      '2',
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = json<Summary>(r);
    const counts = (x: Summary) => [
      x.keys_loaded,
      x.keys_skipped,
      x.rows_read,
      x.rows_rejected_by_reason,
      x.duplicates_dropped,
      x.entities_without_vehicle,
    ];
    expect(counts(s)).toEqual(counts(first));
    expect(lakeDifferences((await readLakeFolder(small)).rows, reference)).toEqual([]);
  });

  it('keeps types and values: numeric strings, 9 decimals, 25:10:00, direction 0, absent trip and bearing', () => {
    const find = (vehicle: string, seconds: number) =>
      lake.rows.find((r) => r.vehicle_id === vehicle && r.timestamp === sec(seconds));
    // Written by hand from test/fixtures/numbers-as-strings (every number there is a string).
    expect(find('y1628', 1640995195)).toEqual({
      partition: 'year=2021/month=12/day=31',
      feed_timestamp: sec(1640995197),
      vehicle_id: 'y1628',
      current_status: 'IN_TRANSIT_TO',
      current_stop_sequence: 11,
      occupancy_status: 'FEW_SEATS_AVAILABLE',
      bearing: 192.5,
      latitude: 42.27057097,
      longitude: -71.120609509,
      stop_id: '16498',
      timestamp: sec(1640995195),
      direction_id: 0,
      route_id: '32',
      schedule_relationship: 'SCHEDULED',
      start_date: '20211231',
      start_time: '25:10:00',
      trip_id: '50419562',
      label: '1628',
      source_key: '2021-12-31T23:59:58Z_numbers-as-strings_VehiclePositions_enhanced.json',
      entity_index: 0,
    });
    expect(find('y1740', 1640995199)).toMatchObject({
      partition: 'year=2021/month=12/day=31',
      latitude: 42.331698191,
      start_time: '24:27:00',
      direction_id: 1,
    });
    // 00:00:00 exactly belongs to the new day.
    expect(find('y2044', 1640995200)).toMatchObject({
      partition: 'year=2022/month=1/day=1',
      longitude: -71.099090001,
      direction_id: 0,
    });
    // From test/fixtures/absent-optional-fields: no trip, no bearing, explicit nulls.
    expect(find('y1415', 1640995201)).toMatchObject({
      bearing: null,
      direction_id: null,
      route_id: null,
      trip_id: null,
      start_time: null,
      // the re-publication later in the same file wins the tie (greatest entity_index)
      entity_index: 6,
      current_status: 'STOPPED_AT',
      occupancy_status: 'FEW_SEATS_AVAILABLE',
    });
    expect(find('y0710', 1640995203)).toMatchObject({
      bearing: 270,
      direction_id: null,
      route_id: 'SL5',
      label: null,
      current_stop_sequence: null,
    });
    expect(find('y1903', 1640995204)).toMatchObject({
      current_status: null,
      bearing: null,
      latitude: 42.2957,
      trip_id: null,
      label: null,
    });
    // A feed without header.timestamp loses to any feed with one, whatever its key.
    expect(find('y0710', 1640995203)).toMatchObject({
      source_key: '2022-01-01T00:00:09Z_absent-optional-fields_VehiclePositions_enhanced.json',
      occupancy_status: null,
    });
    expect(find('y3002', 1640995211)).toMatchObject({ feed_timestamp: null, latitude: 42.3522 });
    expect(find('y3001', 1640995209)).toMatchObject({ feed_timestamp: sec(1640995210), stop_id: '64' });
    // Real MBTA: the 9-decimal longitude of y1628 in the 2022-01-01 snapshot.
    expect(find('y1628', 1640995191)?.longitude).toBe(-71.120609509);
  });

  it('a second identical run changes nothing: every partition unchanged, Parquet bytes identical', async () => {
    const r = await runCli([
      'ingest',
      ...sourceArgs,
      '--glob',
      '*',
      '--out',
      out,
      '--cache-dir',
      cache,
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const again = json<Summary>(r);
    expect(again.partitions.map((p) => p.status)).toEqual(first.partitions.map(() => 'unchanged'));
    expect(again.rows_written).toBe(0);
    const reread = await readLakeFolder(out);
    expect(reread.digests).toEqual(lake.digests);
  });
});

describe.concurrent('ingest refuses nothing-to-do and bad command lines', () => {
  const work = mkdtempSync(join(tmpdir(), 'rtlake-ingest-usage-'));
  const run = (args: string[]) => runCli(['ingest', ...args, '--cache-dir', join(work, 'cache'), '--quiet']);
  const oneLine = (stderr: string) => stderr.trim().split('\n');

  it('an empty folder exits 3 with a one-line message', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const r = await run(['--source', empty, '--out', join(work, 'lake-1')]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/nothing to ingest/);
    expect(r.stdout).toBe('');
  });

  it('a glob matching no file exits 3 with a one-line message', async () => {
    const folder = join(work, 'other-files');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README.txt'), 'not a feed');
    const r = await run(['--source', folder, '--out', join(work, 'lake-2'), '--glob', '*TripUpdates*']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--glob "\*TripUpdates\*"/);
  });

  it.each([['s3://'], ['s3://Not_A_Bucket/2021/'], ['s3a://mbta-gtfs-s3/2021/']])(
    'a malformed source URL %s exits 2',
    async (url) => {
      const r = await run(['--source', url, '--out', join(work, 'lake-3')]);
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
    },
  );

  it('a malformed --out URL and a missing source folder exit 2', async () => {
    const bad = await run(['--source', join(fixtures, 'real-mbta'), '--out', 's3://']);
    expect(bad.code, bad.stderr).toBe(2);
    const missing = await run(['--source', join(work, 'no-such-folder'), '--out', join(work, 'lake-4')]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

describe('a file that one table reads and another refuses, in the last batch', () => {
  it('is skipped, and the rows its batch kept before the refusal are not kept twice', async () => {
    // The last batch's winners stay in DuckDB; here the batch is read whole, kept, then refused by
    // the trip_updates read (stop_time_update is a string) and read again in halves.
    const work = mkdtempSync(join(tmpdir(), 'rtlake-refused-'));
    const day = join(work, 'src', '2022', '07', '05');
    mkdirSync(day, { recursive: true });
    const feed = (timestamp: number, entity: object[]) =>
      JSON.stringify({ header: { gtfs_realtime_version: '2.0', timestamp }, entity });
    const bus = (id: string, timestamp: number) => ({
      id,
      vehicle: { vehicle: { id }, timestamp, position: { latitude: 42.3, longitude: -71.05 } },
    });
    const name = (t: string) =>
      `2022-07-05T12:${t}Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json`;
    writeFileSync(join(day, name('00:00')), feed(1657022400, [bus('a', 1657022390), bus('b', 1657022391)]));
    writeFileSync(join(day, name('00:10')), feed(1657022410, [bus('a', 1657022390), bus('c', 1657022405)]));
    writeFileSync(
      join(day, name('00:20')),
      feed(1657022420, [
        { ...bus('refused', 1657022415), trip_update: { trip: { trip_id: 't' }, stop_time_update: 'oops' } },
      ]),
    );
    writeFileSync(join(day, name('00:30')), feed(1657022430, [bus('d', 1657022425)]));
    const out = join(work, 'lake');
    const r = await runCli([
      'ingest',
      '--source',
      join(work, 'src'),
      '--out',
      out,
      '--feed',
      'all',
      '--json',
      '--quiet',
      '--cache-dir',
      join(work, 'cache'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_loaded).toBe(3);
    expect(s.skipped).toMatchObject([{ key: expect.stringContaining('12:00:20Z'), reason: 'wrong_shape' }]);
    const lake = await readLakeFolder(out);
    // a (kept from the newer file), b, c, d: once each.
    expect(lake.rows.map((row) => `${row.vehicle_id} ${row.source_key}`).sort()).toEqual([
      'a 2022/07/05/2022-07-05T12:00:10Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json',
      'b 2022/07/05/2022-07-05T12:00:00Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json',
      'c 2022/07/05/2022-07-05T12:00:10Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json',
      'd 2022/07/05/2022-07-05T12:00:30Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json',
    ]);
    expect(s.tables.vehicle_positions.rows_written).toBe(4);
  });
});
