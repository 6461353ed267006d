import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakeCheckFailures } from '../helpers/lakeChecks.js';

/** Writes one partition file holding `rows` (vehicle_id, epoch seconds, source_key, entity_index). */
async function partition(dir: string, day: string, rows: [string | null, number | null, string, number][]) {
  const [y, m, d] = day.split('-').map(Number);
  const folder = join(dir, 'vehicle_positions', `year=${y}`, `month=${m}`, `day=${d}`);
  mkdirSync(folder, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const values = rows
    .map(
      ([v, t, k, i]) =>
        `(${v === null ? 'NULL' : `'${v}'`}, ${t === null ? 'NULL' : `to_timestamp(${t})`}, '${k}', ${i})`,
    )
    .join(', ');
  await c.run(
    `COPY (SELECT * FROM (VALUES ${values}) AS t(vehicle_id, "timestamp", source_key, entity_index)) TO '${join(folder, 'data.parquet')}'`,
  );
  c.closeSync();
  db.closeSync();
  return join(folder, 'data.parquet');
}

const T = Date.UTC(2022, 0, 1, 12) / 1000; // 2022-01-01 12:00 UTC

describe('sql/checks/ return the offending rows (empty = pass)', () => {
  it('pass on a lake that keeps its invariants', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-checks-ok-'));
    const a = await partition(dir, '2022-01-01', [
      ['v1', T, 'k1', 0],
      ['v1', T + 1, 'k1', 1],
      ['v2', T, 'k2', 0],
    ]);
    const b = await partition(dir, '2022-01-02', [['v1', T + 86400, 'k3', 0]]);
    expect(await lakeCheckFailures([a, b])).toEqual({});
  });

  it('find a duplicated ping, a duplicated lineage, and pings outside their day or without an id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-checks-bad-'));
    const a = await partition(dir, '2022-01-01', [
      ['v1', T, 'k1', 0],
      ['v1', T, 'k2', 0], // the same ping twice
      ['v3', T + 86400, 'k3', 0], // a ping of 2022-01-02 in 2022-01-01's partition
      [null, T, 'k4', 0], // no vehicle id
    ]);
    const b = await partition(dir, '2022-01-02', [['v9', T + 86400, 'k1', 0]]); // k1#0 again
    const failures = await lakeCheckFailures([a, b]);
    expect(Object.keys(failures).sort()).toEqual([
      'duplicate_lineage.sql',
      'duplicate_pings.sql',
      'pings_outside_their_partition.sql',
    ]);
    expect(failures['duplicate_pings.sql']).toHaveLength(1);
    expect(failures['duplicate_lineage.sql']).toEqual([{ source_key: 'k1', entity_index: 0, copies: '2' }]);
    expect(failures['pings_outside_their_partition.sql']!.map((r) => r.source_key).sort()).toEqual([
      'k3',
      'k4',
    ]);
  });
});
