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
    }>(first);
    expect(s.keys_loaded).toBe(12);
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
  });
});
