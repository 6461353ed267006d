import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLake } from '../helpers/lakeChecks.js';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/runCli.js';

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

    const second = await runCli(['demo', '--json'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    const again = json<{ rows_written: number; partitions: { status: string }[] }>(second);
    expect(again.rows_written).toBe(0);
    expect(again.partitions.every((p) => p.status === 'unchanged')).toBe(true);
    const tables = (json<any>(second).tables ?? {}) as Record<string, { partitions_written: number }>;
    expect(Object.values(tables).every((t) => t.partitions_written === 0)).toBe(true);
  });
});
