import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFeedTables } from '../helpers/lakeChecks.js';
import { json, repoRoot, runCli } from '../helpers/runCli.js';

/**
 * `rtlake dedupe --feed trip_updates|alerts` on a hand-made archive whose answer is written here
 * by hand: re-published unchanged predictions, a changed prediction, a rejected stop time, a
 * prediction published on both sides of midnight, and an alert whose text changes.
 * Trip T1 stop A (arrival 10:05) is published at 10:00:00, 10:00:10 and 10:00:20; stop B at 10:10
 * in the first file, then at 10:11 in the next two; T2's only stop time has no stop; T3 stop X at
 * 23:59:59 and 00:00:05. Alert a1 says "Shuttle buses" at 10:00 and 10:01, then "Shuttle buses
 * replace trains" at 10:02.
 */

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

/** The archive: test/fixtures/republished-predictions (its SOURCES.md says what each file holds). */
const dir = join(repoRoot, 'test', 'fixtures', 'republished-predictions');
let env: Record<string, string>;
beforeAll(() => {
  env = { RTLAKE_CACHE_DIR: join(mkdtempSync(join(tmpdir(), 'rtlake-reads-dedupe-')), 'cache') };
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
      ['ingest', '--source', dir, '--out', lake, '--feed', 'all', '--json', '--quiet'],
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
