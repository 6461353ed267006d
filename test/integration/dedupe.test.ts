import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLake } from '../helpers/lakeChecks.js';
import { json, runCli } from '../helpers/runCli.js';

// A hand-written archive whose expected dedupe outcome is worked out below, by hand, from the rule
// (latest: newest feed_timestamp, then greatest source_key, then greatest entity_index).
const T = 1630886400; // 2021-09-06T00:00:00Z
const ping = (id: string, ts: number, occ: string, extra: Record<string, unknown> = {}) => ({
  id,
  vehicle: {
    vehicle: { id, label: id.slice(1) },
    timestamp: ts,
    occupancy_status: occ,
    position: { latitude: 42.123456789, longitude: -71.987654321, bearing: 90 },
    trip: { route_id: '1', trip_id: 't1', direction_id: 0, start_date: '20210905', start_time: '25:10:00' },
    ...extra,
  },
});
const feed = (headerTs: number, entities: unknown[]) =>
  JSON.stringify({ header: { gtfs_realtime_version: '2.0', timestamp: headerTs }, entity: entities });

let archive: string;
beforeAll(() => {
  archive = mkdtempSync(join(tmpdir(), 'rtlake-dedupe-'));
  const day = join(archive, '2021', '09', '06');
  mkdirSync(day, { recursive: true });
  const write = (name: string, text: string) => writeFileSync(join(day, name), gzipSync(text));
  // a: feed T+10. v1@T+5 MANY (idx0), v2@T+6 (idx1)
  write(
    '2021-09-06T00:00:11Z_VehiclePositions_enhanced.json.gz',
    feed(T + 10, [ping('y1', T + 5, 'MANY'), ping('y2', T + 6, 'MANY')]),
  );
  // b: the SAME feed_timestamp T+10 in another file: v1@T+5 FEW (idx0) -> tie on feed, broken by source_key (b > a)
  write('2021-09-06T00:00:12Z_VehiclePositions_enhanced.json.gz', feed(T + 10, [ping('y1', T + 5, 'FEW')]));
  // c: older feed T+8. The same ping of v3 twice in one file (idx0 MANY, idx2 FULL), v2 identical re-publication (idx1)
  write(
    '2021-09-06T00:00:09Z_VehiclePositions_enhanced.json.gz',
    feed(T + 8, [ping('y3', T + 2, 'MANY'), ping('y2', T + 6, 'MANY'), ping('y3', T + 2, 'FULL')]),
  );
  // d: newest feed T+20, v4 alone, and v2 identical again (numbers as strings)
  write(
    '2021-09-06T00:00:21Z_VehiclePositions_enhanced.json.gz',
    feed(T + 20, [
      ping('y4', T + 19, 'MANY'),
      { id: 'y2', vehicle: { ...ping('y2', T + 6, 'MANY').vehicle, timestamp: String(T + 6) } },
    ]),
  );
});

const key = (name: string) => `2021/09/06/${name}`;
const A = key('2021-09-06T00:00:11Z_VehiclePositions_enhanced.json.gz');
const B = key('2021-09-06T00:00:12Z_VehiclePositions_enhanced.json.gz');
const C = key('2021-09-06T00:00:09Z_VehiclePositions_enhanced.json.gz');
const D = key('2021-09-06T00:00:21Z_VehiclePositions_enhanced.json.gz');

describe('rtlake dedupe', () => {
  it('reports counts equal to the hand computation', async () => {
    const r = await runCli(['dedupe', '--source', archive, '--json', '--examples', '10']);
    expect(r.code, r.stderr).toBe(0);
    const rep = json<Record<string, any>>(r);
    // rows: a2 + b1 + c3 + d2 = 8; groups: y1@5, y2@6, y3@2, y4@19 = 4
    expect(rep.rows_read).toBe(8);
    expect(rep.groups).toBe(4);
    expect(rep.duplicates_dropped).toBe(4);
    // y1 (MANY vs FEW), y3 (MANY vs FULL) conflict; y2 is three identical copies
    expect(rep.duplicate_groups).toBe(3);
    expect(rep.conflicting_groups).toBe(2);
    expect(rep.conflicting_groups_by_column).toEqual({ occupancy_status: 2 });
    // exact keeps y1 x2, y2 x1, y3 x2, y4 x1
    expect(rep.rows_kept).toEqual({ key: 4, exact: 6 });
    const y1 = rep.examples.find((e: any) => e.vehicle_id === 'y1');
    expect(y1.candidates.find((c: any) => c.kept)).toMatchObject({
      source_key: B,
      entity_index: 0,
      values: { occupancy_status: 'FEW' },
    });
    const y3 = rep.examples.find((e: any) => e.vehicle_id === 'y3');
    expect(y3.candidates.find((c: any) => c.kept)).toMatchObject({ source_key: C, entity_index: 2 });
  });

  it('--vehicle narrows the report', async () => {
    const r = await runCli(['dedupe', '--source', archive, '--json', '--vehicle', 'y2']);
    const rep = json<Record<string, any>>(r);
    expect([rep.rows_read, rep.groups, rep.duplicates_dropped, rep.conflicting_groups]).toEqual([3, 1, 2, 0]);
  });

  for (const [keep, expected] of [
    // latest: y1 from b (tie on feed, greater key), y2 from d (newest feed), y3 from c idx2 (same file, greater index), y4 from d
    [
      'latest',
      [
        ['y1', B, 0, 'FEW'],
        ['y2', D, 1, 'MANY'],
        ['y3', C, 2, 'FULL'],
        ['y4', D, 0, 'MANY'],
      ],
    ],
    // earliest: y1 from a (smaller key), y2 from c (oldest feed), y3 from c idx0, y4 from d
    [
      'earliest',
      [
        ['y1', A, 0, 'MANY'],
        ['y2', C, 1, 'MANY'],
        ['y3', C, 0, 'MANY'],
        ['y4', D, 0, 'MANY'],
      ],
    ],
  ] as const) {
    // One file per batch: each batch keeps only its own winners, which must not change the result
    // (the rule is a total order; files reach a batch in whatever order they are ready).
    it.each(['2000', '1', '2'])(
      `ingest --keep ${keep} --batch-files %s writes exactly the rows its rule names`,
      async (batchFiles) => {
        const out = mkdtempSync(join(tmpdir(), `rtlake-keep-${keep}-`));
        const r = await runCli([
          'ingest',
          '--source',
          archive,
          '--out',
          out,
          '--keep',
          keep,
          '--batch-files',
          batchFiles,
          '--json',
          '--quiet',
        ]);
        expect(r.code, r.stderr).toBe(0);
        await checkLake(out);
        expect(json<{ rows_written: number }>(r).rows_written).toBe(4);
        expect(json<{ rows_read: number; duplicates_dropped: number }>(r)).toMatchObject({
          rows_read: 8,
          duplicates_dropped: 4,
        });
        const q = await runCli([
          'query',
          '--lake',
          out,
          '--format',
          'json',
          '--quiet',
          'SELECT vehicle_id, source_key, entity_index, occupancy_status, latitude, start_time, epoch("timestamp") AS ts FROM vehicle_positions ORDER BY vehicle_id',
        ]);
        expect(q.code, q.stderr).toBe(0);
        const rows = json<any[]>(q);
        expect(rows.map((x) => [x.vehicle_id, x.source_key, x.entity_index, x.occupancy_status])).toEqual(
          expected,
        );
        expect(rows[0].latitude).toBe(42.123456789);
        expect(rows[0].start_time).toBe('25:10:00');
      },
    );
  }

  it.each(['2000', '1'])(
    '--dedupe exact --batch-files %s keeps re-publications whose data changed',
    async (batchFiles) => {
      const out = mkdtempSync(join(tmpdir(), 'rtlake-exact-'));
      const r = await runCli([
        'ingest',
        '--source',
        archive,
        '--out',
        out,
        '--dedupe',
        'exact',
        '--batch-files',
        batchFiles,
        '--json',
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
      await checkLake(out, 'exact');
      const s = json<{ rows_written: number; dedupe: { keep: string } }>(r);
      expect(s.rows_written).toBe(6);
      expect(s.dedupe.keep).toBe('earliest');
    },
  );
});

describe('a file holding several JSON documents', () => {
  it('is skipped as invalid_json, and the rows it would have beaten in its batch are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-several-'));
    const day = join(dir, '2021', '09', '06');
    mkdirSync(day, { recursive: true });
    writeFileSync(
      join(day, '2021-09-06T00:00:11Z_VehiclePositions_enhanced.json.gz'),
      gzipSync(feed(T + 10, [ping('y1', T + 5, 'MANY')])),
    );
    // Newer feed, so its copy of y1@T+5 would win; but two documents in one file is not a snapshot.
    const two = feed(T + 20, [ping('y1', T + 5, 'FEW')]);
    writeFileSync(
      join(day, '2021-09-06T00:00:21Z_VehiclePositions_enhanced.json.gz'),
      gzipSync(`${two}\n${two}`),
    );
    const out = mkdtempSync(join(tmpdir(), 'rtlake-several-lake-'));
    const r = await runCli(['ingest', '--source', dir, '--out', out, '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    await checkLake(out);
    const s = json<{
      keys_loaded: number;
      skipped: { key: string; reason: string }[];
      rows_read: number;
      rows_written: number;
    }>(r);
    expect(s.skipped.map((x) => [x.key.slice(-40), x.reason])).toEqual([
      ['2021-09-06T00:00:21Z_VehiclePositions_enhanced.json.gz'.slice(-40), 'invalid_json'],
    ]);
    expect([s.keys_loaded, s.rows_read, s.rows_written]).toEqual([1, 1, 1]);
    const q = await runCli([
      'query',
      '--lake',
      out,
      '--format',
      'json',
      '--quiet',
      'SELECT vehicle_id, occupancy_status FROM vehicle_positions',
    ]);
    expect(json<unknown[]>(q)).toEqual([{ vehicle_id: 'y1', occupancy_status: 'MANY' }]);
  });
});
