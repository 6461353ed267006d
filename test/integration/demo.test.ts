import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLake } from '../helpers/lakeChecks.js';
import { describe, expect, it } from 'vitest';
import { referenceAlerts, referenceTripUpdates } from '../helpers/feedScenarios.js';
import { json, repoRoot, runCli } from '../helpers/runCli.js';

describe('rtlake demo', () => {
  it('builds a lake from the bundled real sample, and a second run changes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rtlake-demo-test-'));
    const first = await runCli(['demo', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    await checkLake(join(cwd, 'rtlake-demo'));
    const s = json<{
      keys_loaded: number;
      rows_read: number;
      duplicates_dropped: number;
      rows_written: number;
      partitions: { partition: string; status: string }[];
      tables: Record<string, { rows_written: number }>;
    }>(first);
    // 12 VehiclePositions JSON files, the 2017 protobuf TripUpdates and Alerts, and the 2022
    // enhanced TripUpdates and Alerts.
    expect(s.keys_loaded).toBe(16);
    expect(Object.keys(s.tables)).toEqual(['vehicle_positions', 'trip_updates', 'alerts']);
    // Real files, each read alone: 79 + 49 trip updates' stop times, 144 + 51 alerts.
    expect(s.tables.trip_updates!.rows_written).toBeGreaterThan(1000);
    expect(s.tables.alerts!.rows_written).toBe(144 + 51);
    expect(readdirSync(join(cwd, 'rtlake-demo')).sort()).toEqual([
      'alerts',
      'trip_updates',
      'vehicle_positions',
    ]);
    expect(s.duplicates_dropped).toBeGreaterThan(0);
    expect(s.rows_written).toBe(s.rows_read - s.duplicates_dropped);
    expect(s.partitions.map((p) => p.partition)).toContain('year=2021/month=12/day=31');
    expect(
      readdirSync(join(cwd, 'rtlake-demo', 'vehicle_positions', 'year=2022', 'month=1', 'day=1')),
    ).toEqual(['data.parquet']);

    // query --lake opens the other tables too; their rows are those a reference decode of the
    // sample's real TripUpdates and Alerts files gives.
    const sampleFile = (rel: string) => readFileSync(join(repoRoot, 'src/demo/sample', rel));
    const tuFiles = [
      '2022/05/08/2022-05-08T06:04:57Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz',
      '2017/12/18/2017-12-18T18:46:14___.s3.amazonaws.com_concentrate_TripUpdates.pb',
    ];
    const alertFiles = [
      '2022/05/04/2022-05-04T15:59:48Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json.gz',
      '2017/12/23/2017-12-23T13:00:20___.s3.amazonaws.com_concentrate_Alerts.pb',
    ];
    const expectedTu = tuFiles.reduce((n, f) => n + referenceTripUpdates(f, sampleFile(f)).length, 0);
    const expectedAlerts = alertFiles.reduce((n, f) => n + referenceAlerts(f, sampleFile(f)).length, 0);
    const q = await runCli(
      [
        'query',
        '--lake',
        join(cwd, 'rtlake-demo'),
        '--format',
        'csv',
        'SELECT (SELECT count(*) FROM trip_updates) AS tu, (SELECT count(*) FROM alerts) AS al',
      ],
      { cwd },
    );
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout.trim().split('\n')).toEqual(['tu,al', `${expectedTu},${expectedAlerts}`]);

    const second = await runCli(['demo', '--json'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    const again = json<{ rows_written: number; partitions: { status: string }[] }>(second);
    expect(again.rows_written).toBe(0);
    expect(again.partitions.every((p) => p.status === 'unchanged')).toBe(true);
    const tables = (json<any>(second).tables ?? {}) as Record<string, { partitions_written: number }>;
    expect(Object.values(tables).every((t) => t.partitions_written === 0)).toBe(true);
  });
});
