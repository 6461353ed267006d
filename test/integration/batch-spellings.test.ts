import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecoderPool } from '../../src/feeds/decoderPool.js';
import { parseLocation } from '../../src/location.js';
import { fetchInput } from '../../src/pipeline/ingest/fetchInput.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { silentReporter } from '../../src/pipeline/reporter.js';
import { CacheIndex } from '../../src/store/cacheIndex.js';
import { makeStorage } from '../../src/store/openStore.js';
import { json, runCli } from '../helpers/runCli.js';

// Issue 15: snake_case JSON is read with the snake_case schema alone, other files with both
// spellings, in the same batch. One batch holds an MBTA-style file (entities first, snake_case), a
// proto3-JSON-mapping file (header first, camelCase, numbers as strings) and a file whose head
// names no two-spelling field at all; every field of every vehicle must arrive.
const T = 1630886400; // 2021-09-06T00:00:00Z

const files: Record<string, string> = {
  '2021-09-06T00:00:10Z_VehiclePositions_enhanced.json.gz': JSON.stringify({
    entity: [
      {
        id: 's1',
        vehicle: {
          current_status: 'STOPPED_AT',
          current_stop_sequence: 7,
          stop_id: '70061',
          timestamp: T + 5,
          trip: { direction_id: 1, route_id: 'Red', trip_id: 'tr-1', start_date: '20210906' },
          vehicle: { id: 'snake-1', label: '1801' },
        },
      },
    ],
    header: { gtfs_realtime_version: '2.0', timestamp: T + 9 },
  }),
  '2021-09-06T00:00:20Z_VehiclePositions_camel.json.gz': JSON.stringify({
    header: { gtfsRealtimeVersion: '2.0', timestamp: String(T + 19) },
    entity: [
      {
        id: 'c1',
        vehicle: {
          currentStatus: 'IN_TRANSIT_TO',
          currentStopSequence: '12',
          stopId: '70063',
          timestamp: String(T + 15),
          trip: { directionId: 0, routeId: 'Orange', tripId: 'tr-2', scheduleRelationship: 'ADDED' },
          vehicle: { id: 'camel-1', label: '1402' },
        },
      },
    ],
  }),
  // No field with two spellings: nothing says which, so it is read with both.
  '2021-09-06T00:00:30Z_VehiclePositions_enhanced.json.gz': JSON.stringify({
    entity: [{ id: 'n1', vehicle: { timestamp: T + 25, vehicle: { id: 'plain-1', label: '9' } } }],
    header: { timestamp: T + 29 },
  }),
};

function archive(): string {
  const root = mkdtempSync(join(tmpdir(), 'rtlake-spellings-'));
  const day = join(root, 'archive', '2021', '09', '06');
  mkdirSync(day, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(day, name), gzipSync(text));
  return root;
}

describe('the batch read by spelling', () => {
  it('marks only the snake_case file for the narrower read', async () => {
    const root = archive();
    const storage = makeStorage({ s3: {} });
    const store = storage.open(parseLocation(join(root, 'archive'), '--source'));
    const listed = await store.list();
    const decoder = new DecoderPool(0);
    const cache = { dir: join(root, 'cache'), workDir: root, index: new CacheIndex() };
    const marks: Record<string, boolean> = {};
    for (const o of listed) {
      const outcome = await fetchInput({ ...o, store }, cache, 16 << 20, decoder);
      expect(outcome.kind).toBe('ready');
      if (outcome.kind === 'ready') marks[o.rel.split('/').pop()!] = outcome.file.snakeCase === true;
    }
    expect(marks).toEqual({
      '2021-09-06T00:00:10Z_VehiclePositions_enhanced.json.gz': true,
      '2021-09-06T00:00:20Z_VehiclePositions_camel.json.gz': false,
      '2021-09-06T00:00:30Z_VehiclePositions_enhanced.json.gz': false,
    });
  });

  it('reads every field of both spellings in one batch', async () => {
    const root = archive();
    const storage = makeStorage({ s3: {} });
    const summary = await ingest({
      sources: [storage.open(parseLocation(join(root, 'archive'), '--source'))],
      out: storage.open(parseLocation(join(root, 'lake'), '--out')),
      glob: '*VehiclePositions*.json*',
      rule: { grain: 'key', keep: 'latest' },
      concurrency: 4,
      cacheDir: join(root, 'cache'),
      maxObjectSize: 16 * 1024 * 1024,
      strict: true,
      reporter: silentReporter,
    });
    expect(summary).toMatchObject({ keys_loaded: 3, rows_read: 3, rows_written: 3, keys_skipped: 0 });
    const q = await runCli([
      'query',
      '--lake',
      join(root, 'lake'),
      '--format',
      'json',
      '--quiet',
      `SELECT vehicle_id, label, current_status, current_stop_sequence, occupancy_status, stop_id,
              epoch("timestamp")::BIGINT AS ts, epoch(feed_timestamp)::BIGINT AS feed_ts, direction_id,
              route_id, schedule_relationship, start_date, trip_id
       FROM vehicle_positions ORDER BY vehicle_id`,
    ]);
    expect(q.code, q.stderr).toBe(0);
    expect(json<unknown[]>(q)).toEqual([
      {
        vehicle_id: 'camel-1',
        label: '1402',
        current_status: 'IN_TRANSIT_TO',
        current_stop_sequence: 12,
        occupancy_status: null,
        stop_id: '70063',
        ts: T + 15,
        feed_ts: T + 19,
        direction_id: 0,
        route_id: 'Orange',
        schedule_relationship: 'ADDED',
        start_date: null,
        trip_id: 'tr-2',
      },
      {
        vehicle_id: 'plain-1',
        label: '9',
        current_status: null,
        current_stop_sequence: null,
        occupancy_status: null,
        stop_id: null,
        ts: T + 25,
        feed_ts: T + 29,
        direction_id: null,
        route_id: null,
        schedule_relationship: null,
        start_date: null,
        trip_id: null,
      },
      {
        vehicle_id: 'snake-1',
        label: '1801',
        current_status: 'STOPPED_AT',
        current_stop_sequence: 7,
        occupancy_status: null,
        stop_id: '70061',
        ts: T + 5,
        feed_ts: T + 9,
        direction_id: 1,
        route_id: 'Red',
        schedule_relationship: null,
        start_date: '20210906',
        trip_id: 'tr-1',
      },
    ]);
  });
});
