import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  alertArchive,
  expectedAlerts,
  expectedTripUpdates,
  referenceAlerts,
  referenceTripUpdates,
  tripUpdateArchive,
} from '../helpers/feedScenarios.js';
import { ingestFeedTables, lakeTableRows, readFeedTables } from '../helpers/feedTables.js';

// Hand-made feeds around midnight UTC of 2024-03-09/10 (1710028800 = 2024-03-10 00:00:00Z).
describe('trip_updates: one row per prediction per day, the earliest publication', () => {
  it('drops re-published predictions, keeps changed ones, and starts again after midnight, from every format', async () => {
    for (const batchSize of [1000, 2, 1]) {
      const result = await readFeedTables(tripUpdateArchive, batchSize);
      expect(result.tripUpdates).toEqual(expectedTripUpdates);
      const rejected = { missing_trip_id: 0, missing_stop: 0, missing_feed_timestamp: 0 };
      for (const counts of result.tripUpdateCounts) {
        for (const [k, v] of Object.entries(counts.rejected)) rejected[k as keyof typeof rejected] += v;
      }
      // noTrip's one stop (tu-1); T2's first stop has neither stop_sequence nor stop_id (tu-1, tu-5).
      expect(rejected).toEqual({ missing_trip_id: 1, missing_stop: 2, missing_feed_timestamp: 0 });
      const read = result.tripUpdateCounts.reduce((s, c) => s + c.rows, 0);
      expect(read).toBe(5 + 2 + 2 + 3 + 2);
    }
  });
});

describe('alerts: one row per version of an alert per day', () => {
  it('splits an alert whose text changes, spans first_seen..last_seen, and starts again after midnight', async () => {
    for (const batchSize of [1000, 2, 1]) {
      const result = await readFeedTables(alertArchive, batchSize);
      expect(result.alerts).toEqual(expectedAlerts);
      expect(result.alertCounts.reduce((s, c) => s + c.rows, 0)).toBe(9);
      // Files of another kind add nothing to the other table.
      expect(result.tripUpdates).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Real feeds, each read alone, against a reference decode written here: JSON.parse for JSON,
// protobufjs's own toObject for protobuf, and the tables' rules spelled out in a few lines.

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

describe('real feeds, each alone, equal an independent decode', () => {
  it.each([
    'mbta-trip-updates-alerts/2022-05-08T06:04:57Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz',
    'mbta-trip-updates-alerts/TripUpdates_enhanced.json',
    'mbta-trip-updates-alerts/tripupdates.pb',
    'protobuf-agencies/g.pb',
    'protobuf-agencies/00:04.wmata.pb',
    'protobuf-agencies/bullrunner-vehicle-positions',
  ])('trip_updates of %s', async (path) => {
    const bytes = fixture(path);
    const result = await readFeedTables({ [path]: bytes });
    const expected = referenceTripUpdates(path, bytes);
    expect(result.tripUpdates).toEqual(expected);
    expect(result.alerts).toEqual([]);
    if (!path.includes('bullrunner')) expect(expected.length).toBeGreaterThan(40);
  });

  it.each([
    'mbta-trip-updates-alerts/2022-05-04T15:59:48Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json.gz',
    'mbta-trip-updates-alerts/alerts_enhanced.json',
    'mbta-trip-updates-alerts/alerts.pb',
  ])('alerts of %s', async (path) => {
    const bytes = fixture(path);
    const result = await readFeedTables({ [path]: bytes });
    const got = [...result.alerts].sort((x: any, y: any) =>
      x.alert_id < y.alert_id ? -1 : x.alert_id > y.alert_id ? 1 : 0,
    );
    const expected = referenceAlerts(path, bytes);
    expect(got).toEqual(expected);
    expect(expected.length).toBeGreaterThan(5);
    expect(result.tripUpdates).toEqual([]);
  });
});

describe('the trip_updates and alerts lake: merged run after run, idempotent, one file per day', () => {
  it('two overlapping runs give the rows of one run over every file, and a re-run changes nothing', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const lake = mkdtempSync(join(tmpdir(), 'rtlake-feeds-lake-'));
    const pick = (o: Record<string, Buffer>, keys: string[]) =>
      Object.fromEntries(keys.map((k) => [k, o[k]!]));
    const first = await ingestFeedTables(
      {
        ...pick(tripUpdateArchive, ['tu-1.json', 'tu-4.json']),
        ...pick(alertArchive, ['al-1.json', 'al-4.json']),
      },
      lake,
    );
    expect(first).toEqual({
      'trip_updates/year=2024/month=3/day=9': 'written',
      'trip_updates/year=2024/month=3/day=10': 'written',
      'alerts/year=2024/month=3/day=9': 'written',
      'alerts/year=2024/month=3/day=10': 'written',
    });
    await ingestFeedTables({ ...tripUpdateArchive, ...alertArchive }, lake);
    const again = await ingestFeedTables({ ...tripUpdateArchive, ...alertArchive }, lake);
    expect(Object.values(again).every((s) => s === 'unchanged')).toBe(true);
    // Nothing but the two tables' folders: no staging folder is left behind.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(lake).sort()).toEqual(['alerts', 'trip_updates']);
    const tu = await lakeTableRows(lake, 'trip_updates', 'source_key, entity_index, update_index');
    const days = tu.map((r) => `${r.year}-${r.month}-${r.day}`);
    expect(tu.map(({ year: _y, month: _m, day: _d, ...r }) => r)).toEqual(expectedTripUpdates);
    expect(days).toEqual([
      '2024-3-9',
      '2024-3-9',
      '2024-3-9',
      '2024-3-10',
      '2024-3-10',
      '2024-3-10',
      '2024-3-10',
    ]);
    const alerts = await lakeTableRows(lake, 'alerts', 'first_seen, alert_id, source_key');
    expect(alerts.map(({ year: _y, month: _m, day: _d, ...r }) => r)).toEqual(expectedAlerts);
  });
});
