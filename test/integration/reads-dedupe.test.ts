import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFeedTables } from '../helpers/lakeChecks.js';
import { json, runCli } from '../helpers/runCli.js';

/**
 * `rtlake dedupe --feed trip_updates|alerts` on a hand-made archive whose answer is written here
 * by hand: re-published unchanged predictions, a changed prediction, a rejected stop time, a
 * prediction published on both sides of midnight, and an alert whose text changes.
 */

const t = (iso: string) => Date.parse(iso) / 1000;
const feed = (iso: string, entity: object[]) => ({
  header: { gtfs_realtime_version: '2.0', incrementality: 'FULL_DATASET', timestamp: t(iso) },
  entity,
});
const trip = (id: string, stops: object[]) => ({
  id,
  trip_update: {
    trip: { trip_id: id, route_id: 'Red', direction_id: 0, start_date: '20220508' },
    stop_time_update: stops,
  },
});
const A = { stop_sequence: 1, stop_id: 'A', arrival: { time: t('2022-05-08T10:05:00Z') } };
const B = { stop_sequence: 2, stop_id: 'B', arrival: { time: t('2022-05-08T10:10:00Z') } };
const BLater = { stop_sequence: 2, stop_id: 'B', arrival: { time: t('2022-05-08T10:11:00Z') } };
const noStop = { arrival: { time: t('2022-05-08T10:20:00Z') } };
const X = { stop_sequence: 7, stop_id: 'X', arrival: { time: t('2022-05-09T00:10:00Z') } };
const alert = (text: string) => ({
  id: 'a1',
  alert: {
    effect: 'DETOUR',
    header_text: { translation: [{ text, language: 'en' }] },
    active_period: [{ start: t('2022-05-08T06:00:00Z') }],
    informed_entity: [{ route_id: 'Red', route_type: 1 }],
  },
});

const archive: Record<string, Buffer> = {
  '2022-05-08T10:00:00Z_TripUpdates.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T10:00:00Z', [trip('T1', [A, B]), trip('T2', [noStop])])),
  ),
  '2022-05-08T10:00:10Z_TripUpdates.json.gz': gzipSync(
    JSON.stringify(feed('2022-05-08T10:00:10Z', [trip('T1', [A, BLater])])),
  ),
  '2022-05-08T10:00:20Z_TripUpdates.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T10:00:20Z', [trip('T1', [A, BLater])])),
  ),
  '2022-05-08T23:59:59Z_TripUpdates.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T23:59:59Z', [trip('T3', [X])])),
  ),
  '2022-05-09T00:00:05Z_TripUpdates.json': Buffer.from(
    JSON.stringify(feed('2022-05-09T00:00:05Z', [trip('T3', [X])])),
  ),
  '2022-05-08T10:00:00Z_Alerts.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T10:00:00Z', [alert('Shuttle buses')])),
  ),
  '2022-05-08T10:01:00Z_Alerts.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T10:01:00Z', [alert('Shuttle buses')])),
  ),
  '2022-05-08T10:02:00Z_Alerts.json': Buffer.from(
    JSON.stringify(feed('2022-05-08T10:02:00Z', [alert('Shuttle buses replace trains')])),
  ),
};

interface Report {
  table: string;
  rows_read: number;
  rows_rejected: number;
  rows_rejected_by_reason: Record<string, number>;
  groups: number;
  duplicates_dropped: number;
  duplicate_groups: number;
  conflicting_groups: number;
  conflicting_groups_by_column: Record<string, number>;
  rows_kept: { key: number; exact: number };
  examples: {
    day: string;
    group: Record<string, unknown>;
    candidates: {
      feed_timestamp: string;
      source_key: string;
      entity_index: number;
      update_index?: number;
      kept: boolean;
    }[];
  }[];
  load: { keys_listed: number; keys_loaded: number; keys_skipped: number };
}

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'rtlake-reads-dedupe-'));
  dir = join(root, 'archive');
  env = { RTLAKE_CACHE_DIR: join(root, 'cache') };
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(archive)) writeFileSync(join(dir, name), bytes);
});

describe('rtlake dedupe --feed trip_updates', () => {
  it('counts groups, drops and rejections under the earliest-publication rule, with example groups', async () => {
    const r = await runCli(
      ['dedupe', '--source', dir, '--feed', 'trip_updates', '--examples', '2', '--json', '--quiet'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = json<Report>(r);
    // Rows: f1 3 (T1 A, B; T2 without a stop), f2 2, f3 2, f4 1, f5 1.
    expect(report).toMatchObject({
      table: 'trip_updates',
      rows_read: 9,
      rows_rejected: 1,
      rows_rejected_by_reason: { missing_trip_id: 0, missing_stop: 1, missing_feed_timestamp: 0 },
      // A; B at 10:10; B at 10:11; T3's X on the 8th; T3's X on the 9th (a new day, a new row).
      groups: 5,
      duplicates_dropped: 3,
      // A (3 publications) and B at 10:11 (2).
      duplicate_groups: 2,
      conflicting_groups: 0,
      conflicting_groups_by_column: {},
      rows_kept: { key: 5, exact: 5 },
    });
    // The default --glob follows --feed: only the TripUpdates files are listed.
    expect(report.load).toMatchObject({ keys_listed: 5, keys_loaded: 5, keys_skipped: 0 });
    const [first, second] = report.examples;
    expect(first!.day).toBe('2022-05-08');
    expect(first!.group).toMatchObject({ trip_id: 'T1', stop_id: 'A', stop_sequence: 1 });
    expect(first!.candidates.map((c) => [c.source_key, c.entity_index, c.update_index, c.kept])).toEqual([
      ['2022-05-08T10:00:00Z_TripUpdates.json', 0, 0, true],
      ['2022-05-08T10:00:10Z_TripUpdates.json.gz', 0, 0, false],
      ['2022-05-08T10:00:20Z_TripUpdates.json', 0, 0, false],
    ]);
    expect(second!.group).toMatchObject({
      trip_id: 'T1',
      stop_id: 'B',
      arrival_time: '2022-05-08 10:11:00+00',
    });
    expect(second!.candidates.map((c) => [c.feed_timestamp, c.update_index, c.kept])).toEqual([
      ['2022-05-08 10:00:10+00', 1, true],
      ['2022-05-08 10:00:20+00', 1, false],
    ]);
  });

  it('agrees with the lake ingest writes from the same files, and says it in words', async () => {
    const lake = join(mkdtempSync(join(tmpdir(), 'rtlake-reads-dedupe-lake-')), 'lake');
    const ingest = await runCli(
      ['ingest', '--source', dir, '--out', lake, '--feed', 'all', '--glob', '*', '--json', '--quiet'],
      { env },
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    const tables = json<{ tables: Record<string, { rows_written: number }> }>(ingest).tables;
    expect(tables.trip_updates!.rows_written).toBe(5);
    expect(tables.alerts!.rows_written).toBe(2);
    await checkFeedTables(lake);

    const text = await runCli(['dedupe', '--source', dir, '--feed', 'trip_updates', '--examples', '1'], {
      env,
    });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      '9 predictions (stop_time_updates) read (1 rejected: missing_stop 1), 5 distinct predictions (per UTC day), 3 duplicates dropped',
    );
    expect(text.stdout).toMatch(
      /^ {2}KEPT {2}feed 2022-05-08 10:00:00\+00 {2}2022-05-08T10:00:00Z_TripUpdates\.json #0\.0$/m,
    );
  });

  it('refuses the vehicle-only flags and an unknown table', async () => {
    const keep = await runCli(['dedupe', '--source', dir, '--feed', 'trip_updates', '--keep', 'latest'], {
      env,
    });
    expect(keep.code).toBe(2);
    expect(keep.stderr).toMatch(/--keep is for vehicle_positions: the trip_updates rule is fixed/);
    const bad = await runCli(['dedupe', '--source', dir, '--feed', 'stops'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--feed stops: expected vehicle_positions, trip_updates, alerts/);
  });
});

describe('rtlake dedupe --feed alerts', () => {
  it('one group per version of the alert; the earliest sighting is kept', async () => {
    const r = await runCli(['dedupe', '--source', dir, '--feed', 'alerts', '--json', '--quiet'], { env });
    expect(r.code, r.stderr).toBe(0);
    const report = json<Report>(r);
    expect(report).toMatchObject({
      table: 'alerts',
      rows_read: 3,
      rows_rejected: 0,
      groups: 2,
      duplicates_dropped: 1,
      duplicate_groups: 1,
      conflicting_groups: 0,
    });
    expect(report.examples).toHaveLength(1);
    expect(report.examples[0]!.group).toMatchObject({
      alert_id: 'a1',
      header_text: 'Shuttle buses',
      effect: 'DETOUR',
    });
    expect(report.examples[0]!.candidates.map((c) => [c.source_key, c.kept])).toEqual([
      ['2022-05-08T10:00:00Z_Alerts.json', true],
      ['2022-05-08T10:01:00Z_Alerts.json', false],
    ]);
  });
});
