import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { midnightArchive, type ArchiveObject } from '../helpers/midnightArchive.js';
import { downloadPrefix, expectedSchema, readLakeFolder, type ReadLake } from '../helpers/parquetLake.js';
import {
  lakeDifferences,
  referenceCounts,
  referenceLake,
  type ReferenceLake,
} from '../helpers/referenceLake.js';
import { json, runCli } from '../helpers/runCli.js';
import { s3Implementations, type S3TestServer } from '../helpers/s3Server.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const fixture = (path: string) => readFileSync(join(fixtures, path));
const seedSnapshot = fixture(
  'real-mbta/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
);

const midnight = Date.UTC(2022, 0, 1) / 1000;
/**
 * Snapshots from 23:40:00 to past 00:10 across midnight, keyed by the UTC time under YYYY/MM/DD/.
 * Against s3rver: 1,050 keys 2 s apart (ListObjectsV2 pages at 1,000). moto answers each request
 * several times slower, so it gets 120 keys 20 s apart: the same midnight merge (and moto's
 * enforced If-Match/If-None-Match on the partition writes) without the pagination.
 */
const archives = {
  s3rver: midnightArchive(seedSnapshot, {
    prefix: 'mbta/',
    start: midnight - 20 * 60,
    count: 1050,
    stepSeconds: 2,
    vehicles: 30,
    seed: 20220101,
  }),
  moto: midnightArchive(seedSnapshot, {
    prefix: 'mbta/',
    start: midnight - 20 * 60,
    count: 120,
    stepSeconds: 20,
    vehicles: 30,
    seed: 20220102,
  }),
};
/** Run 1: the 31st and the first ten minutes of the 1st (pings straddle midnight). Run 2: the next files. */
const run1Prefixes = ['mbta/2021/12/31/', 'mbta/2022/01/01/2022-01-01T00:0'];
const run2Prefixes = ['mbta/2022/01/01/2022-01-01T00:1'];

/**
 * Real and damaged fixtures under MBTA-style keys (colons, and one with spaces and other
 * characters), in the three storage forms. `skip` is the reason --json must give.
 */
const fixtureObjects: (ArchiveObject & { skip?: string })[] = [
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
    bytes: seedSnapshot,
  },
  {
    key: 'fixtures/2019/12/12/2019-12-12T00:00:10Z_https_mbta_gtfs_s3_dev.s3.amazonaws.com_concentrate_VehiclePositions_enhanced.json',
    bytes: fixture(
      'real-mbta/2019-12-12T00_00_10_https___mbta_gtfs_s3_dev.s3.amazonaws.com_concentrate_VehiclePositions_enhanced.json',
    ),
    contentEncoding: 'gzip',
  },
  {
    key: 'fixtures/2024/02/08/2024-02-08T18:59:55Z_rtr_VehiclePositions_enhanced.json',
    bytes: gunzipSync(fixture('real-mbta/2024-02-08_rtr_VehiclePositions_enhanced.json.gz')),
  },
  {
    key: 'fixtures/2024/09/18/2024-09-18T16:04:08Z_screens_VehiclePositions_enhanced.json',
    bytes: fixture('real-mbta/2024-09-18_screens_excerpt_VehiclePositions_enhanced.json'),
  },
  // The same plain JSON again under a .gz name, and under a key with spaces, + and é: the kept row is the greatest key's.
  {
    key: 'fixtures/2024/09/18/2024-09-18T16:04:09Z_screens_VehiclePositions_enhanced.json.gz',
    bytes: fixture('real-mbta/2024-09-18_screens_excerpt_VehiclePositions_enhanced.json'),
  },
  {
    key: 'fixtures/odd names/2024-09-18T16:04:10Z copy+1=é_VehiclePositions_enhanced.json',
    bytes: fixture('real-mbta/2024-09-18_screens_excerpt_VehiclePositions_enhanced.json'),
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:04Z_empty_VehiclePositions_enhanced.json.gz',
    bytes: fixture('empty-entity-list/empty.json.gz'),
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:05Z_one_blank_record_VehiclePositions_enhanced.json',
    bytes: fixture('one-blank-record/one_blank_record.json.gz'),
    contentEncoding: 'gzip',
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T03:00:01Z_no-entity-field_VehiclePositions_enhanced.json',
    bytes: fixture(
      'feed-without-entity-list/2022-01-01T03:00:01Z_no-entity-field_VehiclePositions_enhanced.json',
    ),
    skip: 'no_entity_list',
  },
  {
    key: 'fixtures/2021/12/31/2021-12-31T23:59:58Z_numbers-as-strings_VehiclePositions_enhanced.json',
    bytes: fixture(
      'numbers-as-strings/2021-12-31T23:59:58Z_numbers-as-strings_VehiclePositions_enhanced.json',
    ),
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:09Z_absent-optional-fields_VehiclePositions_enhanced.json',
    bytes: fixture(
      'absent-optional-fields/2022-01-01T00:00:09Z_absent-optional-fields_VehiclePositions_enhanced.json',
    ),
  },
  {
    key: 'fixtures/2022/07/05/2022-07-05T12:35:16Z_corrupt_VehiclePositions_enhanced.json',
    bytes: fixture('corrupt-gzip/2022-07-05T12:35:16Z_corrupt_VehiclePositions_enhanced.json.gz'),
    contentEncoding: 'gzip',
    skip: 'corrupt_gzip',
  },
  {
    key: 'fixtures/2022/07/05/2022-07-05T12:35:17Z_truncated_VehiclePositions_enhanced.json.gz',
    bytes: fixture('truncated-gzip/2022-07-05T12:35:16Z_truncated_VehiclePositions_enhanced.json.gz'),
    skip: 'corrupt_gzip',
  },
  {
    key: 'fixtures/2024/09/18/2024-09-18T16:04:11Z_truncated_VehiclePositions_enhanced.json',
    bytes: fixture('truncated-json/2024-09-18_truncated_VehiclePositions_enhanced.json'),
    skip: 'invalid_json',
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:06Z_zero-bytes_VehiclePositions_enhanced.json',
    bytes: Buffer.alloc(0),
    skip: 'empty',
  },
  {
    key: 'fixtures/2019/02/08/list-objects-page_VehiclePositions.json',
    bytes: fixture('not-a-feed/list-objects-page_VehiclePositions.json'),
    skip: 'not_a_feed',
  },
  {
    key: 'fixtures/2022/01/01/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_TripUpdates_as_VehiclePositions_enhanced.json',
    bytes: fixture(
      'trip-updates-feed/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced-as-VehiclePositions.json',
    ),
    skip: 'feed_not_selected',
  },
];

interface Summary {
  keys_listed: number;
  keys_loaded: number;
  keys_skipped: number;
  keys_failed: number;
  keys_ignored_by_glob: number;
  skipped: { key: string; reason: string; detail: string }[];
  rows_read: number;
  rows_rejected: number;
  entities_without_vehicle: number;
  duplicates_dropped: number;
  rows_written: number;
  partitions: { partition: string; path: string; rows: number; rows_before: number; status: string }[];
}

async function putAll(server: S3TestServer, objects: ArchiveObject[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const o = objects[next++]!;
      await server.put(
        'archive',
        o.key,
        o.bytes,
        o.contentEncoding ? { ContentEncoding: o.contentEncoding } : {},
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function expectCountsMatch(s: Summary, reference: ReferenceLake): void {
  expect(s.keys_listed).toBe(s.keys_loaded + s.keys_skipped + s.keys_failed);
  expect(s.keys_failed).toBe(0);
  expect(s.keys_loaded).toBe(reference.loadedKeys.length);
  expect(s.rows_read).toBe(reference.rowsRead);
  expect(s.rows_rejected).toBe(reference.rowsRejected);
  // Only entities of files without any vehicle are counted (since 47ed280), so at most the reference's.
  expect(s.entities_without_vehicle).toBeLessThanOrEqual(reference.entitiesWithoutVehicle);
}

for (const impl of s3Implementations) {
  const archive = archives[impl.name];
  const inPrefix = (...prefixes: string[]) =>
    archive.filter((o) => prefixes.some((p) => o.key.startsWith(p)));
  describe(`ingest from S3 (${impl.name})`, () => {
    let server: S3TestServer | null = null;
    const work = mkdtempSync(join(tmpdir(), `rtlake-ingest-s3-${impl.name}-`));
    const cache = join(work, 'cache');
    let n = 0;
    const ingest = async (sources: string[], out: string, extra: string[] = []) => {
      // A local time zone far from UTC: day partitions must still be UTC days.
      return runCli(
        [
          'ingest',
          ...sources.flatMap((s) => ['--source', s]),
          '--out',
          out,
          '--cache-dir',
          cache,
          '--json',
          '--quiet',
          ...extra,
        ],
        {
          env: { ...server!.env, TZ: 'America/Los_Angeles' },
        },
      );
    };
    /** The S3 lake under s3://lake/<prefix>, downloaded and read back. */
    const readS3Lake = async (prefix: string) => readLakeFolder((await downloadLakeTo(prefix)).dir);
    const downloadLakeTo = async (prefix: string) => {
      const dir = join(work, `download-${++n}`);
      const keys = await downloadPrefix(server!.client, 'lake', `${prefix}/`, dir);
      return { dir, keys };
    };

    beforeAll(async () => {
      server = await impl.start();
      if (!server) return;
      await server.createBucket('archive');
      await server.createBucket('lake');
      await putAll(server, [...archive, ...fixtureObjects]);
      await server.put('archive', 'other/README.txt', 'not a feed');
    }, 240_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('lists every key (> 1000 with colons on s3rver: every page), and the S3 lake equals the reference row by row', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const r = await ingest(['s3://archive/mbta/'], 's3://lake/one-run');
      expect(r.code, r.stderr).toBe(0);
      const s = json<Summary>(r);
      const reference = referenceLake(archive);
      if (impl.name === 's3rver') expect(archive.length).toBeGreaterThan(1000);
      expect(s.keys_listed).toBe(archive.length);
      expect(s.keys_loaded).toBe(archive.length);
      expectCountsMatch(s, reference);
      expect(s.rows_rejected).toBeGreaterThan(0);
      expect(s.duplicates_dropped).toBe(reference.duplicatesDropped);
      expect(Object.fromEntries(s.partitions.map((p) => [p.partition, p.rows]))).toEqual(
        referenceCounts(reference),
      );
      expect(Object.keys(referenceCounts(reference))).toEqual([
        'year=2021/month=12/day=31',
        'year=2022/month=1/day=1',
      ]);

      const { keys } = await downloadLakeTo('one-run');
      expect(keys).toEqual([
        'one-run/vehicle_positions/year=2021/month=12/day=31/data.parquet',
        'one-run/vehicle_positions/year=2022/month=1/day=1/data.parquet',
      ]);
      const lake = await readS3Lake('one-run');
      expect(lakeDifferences(lake.rows, reference)).toEqual([]);
      for (const [partition, schema] of lake.schemas) expect(schema, partition).toEqual(expectedSchema);
    }, 180_000);

    it('two runs across midnight merge into exactly the reference; re-running everything changes nothing', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const run1Files = inPrefix(...run1Prefixes);
      const run2Files = inPrefix(...run2Prefixes);
      expect(run1Files.length + run2Files.length).toBe(archive.length);

      const r1 = await ingest(
        run1Prefixes.map((p) => `s3://archive/${p}`),
        's3://lake/two-runs',
      );
      expect(r1.code, r1.stderr).toBe(0);
      const s1 = json<Summary>(r1);
      const after1 = referenceLake(run1Files);
      expect(s1.keys_listed).toBe(run1Files.length);
      expectCountsMatch(s1, after1);
      expect(s1.partitions.map((p) => [p.partition, p.status])).toEqual([
        ['year=2021/month=12/day=31', 'written'],
        ['year=2022/month=1/day=1', 'written'],
      ]);
      expect(lakeDifferences((await readS3Lake('two-runs')).rows, after1)).toEqual([]);

      // Run 2: the next files. Stalled vehicles re-publish their 23:59 pings, so day 31 is merged
      // again: its rows must be neither lost nor doubled, and the newest feed's copy is kept.
      const r2 = await ingest(
        run2Prefixes.map((p) => `s3://archive/${p}`),
        's3://lake/two-runs',
      );
      expect(r2.code, r2.stderr).toBe(0);
      const s2 = json<Summary>(r2);
      const all = referenceLake(archive);
      expectCountsMatch(s2, referenceLake(run2Files));
      const counts1 = referenceCounts(after1);
      const countsAll = referenceCounts(all);
      expect(s2.partitions.map((p) => [p.partition, p.rows_before, p.rows, p.status])).toEqual([
        [
          'year=2021/month=12/day=31',
          counts1['year=2021/month=12/day=31'],
          countsAll['year=2021/month=12/day=31'],
          'written',
        ],
        [
          'year=2022/month=1/day=1',
          counts1['year=2022/month=1/day=1'],
          countsAll['year=2022/month=1/day=1'],
          'written',
        ],
      ]);
      const merged = await readS3Lake('two-runs');
      expect(lakeDifferences(merged.rows, all)).toEqual([]);
      // The day-31 partition really changed in run 2 (kept rows moved to run 2's files).
      expect(
        merged.rows.some(
          (r) => r.partition === 'year=2021/month=12/day=31' && run2Files.some((f) => f.key === r.source_key),
        ),
      ).toBe(true);

      // Run 3: the whole archive again (overlapping both runs): nothing changes.
      const r3 = await ingest(['s3://archive/mbta/'], 's3://lake/two-runs');
      expect(r3.code, r3.stderr).toBe(0);
      const s3 = json<Summary>(r3);
      expect(s3.keys_listed).toBe(archive.length);
      expect(s3.partitions.map((p) => p.status)).toEqual(['unchanged', 'unchanged']);
      expect(s3.rows_written).toBe(0);
      const again = await readS3Lake('two-runs');
      expect(again.digests).toEqual(merged.digests);
    }, 300_000);

    it('loads real fixtures in every storage form, skips damaged ones with the right reason, into a folder lake', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const out = join(work, 'fixtures-lake');
      const r = await ingest(['s3://archive/fixtures/'], out);
      expect(r.code, r.stderr).toBe(0);
      const s = json<Summary>(r);
      const reference = referenceLake(fixtureObjects);
      expect(s.keys_listed).toBe(fixtureObjects.length);
      expectCountsMatch(s, reference);
      expect(s.duplicates_dropped).toBe(reference.duplicatesDropped);
      expect(Object.fromEntries(s.skipped.map((k) => [k.key, k.reason]))).toEqual(
        Object.fromEntries(
          fixtureObjects.filter((o) => o.skip).map((o) => [`s3://archive/${o.key}`, o.skip]),
        ),
      );
      // one_blank_record's {}
      expect(s.entities_without_vehicle).toBeGreaterThanOrEqual(1);
      const lake: ReadLake = await readLakeFolder(out);
      expect(lakeDifferences(lake.rows, reference)).toEqual([]);
      // The three copies of the screens excerpt: the greatest key wins, untouched characters and all.
      const screens = lake.rows.filter((row) => row.partition === 'year=2024/month=9/day=18');
      expect(screens.length).toBe(2);
      expect(new Set(screens.map((row) => row.source_key))).toEqual(
        new Set(['fixtures/odd names/2024-09-18T16:04:10Z copy+1=é_VehiclePositions_enhanced.json']),
      );
    }, 120_000);

    it('an empty listing or a glob matching nothing exits 3 with one line; a missing bucket exits 5', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const [empty, noMatch, noBucket] = await Promise.all([
        ingest(['s3://archive/nothing-here/'], join(work, 'lake-empty')),
        ingest(['s3://archive/other/'], join(work, 'lake-nomatch')),
        ingest(['s3://no-such-bucket/2022/'], join(work, 'lake-nobucket')),
      ]);
      expect(empty.code, empty.stderr).toBe(3);
      expect(empty.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^rtlake: nothing to ingest: s3:\/\/archive\/nothing-here\/ is empty/),
      ]);
      expect(noMatch.code, noMatch.stderr).toBe(3);
      expect(noMatch.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/none of the 1 objects .* matching --glob/),
      ]);
      expect(noBucket.code, noBucket.stderr).toBe(5);
      expect(noBucket.stderr.trim().split('\n')).toHaveLength(1);
    }, 120_000);
  });
}
