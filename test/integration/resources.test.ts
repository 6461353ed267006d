import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';

const realMbta = join(import.meta.dirname, '../fixtures/real-mbta');

describe('DuckDB out of memory (translated once, in src/db)', () => {
  it('an ingest whose --memory-limit DuckDB cannot work in exits 9 with one line saying what to change, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-resources-'));
    const out = join(dir, 'lake');
    const r = await runCli([
      'ingest',
      '--source',
      realMbta,
      '--out',
      out,
      '--memory-limit',
      '1MB',
      '--cache-dir',
      join(dir, 'cache'),
    ]);
    expect(r.code).toBe(9);
    const errors = r.stderr.split('\n').filter((l) => /out of memory|error/i.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rtlake: DuckDB ran out of memory or spill space .*raise --memory-limit/);
    expect(errors[0]).not.toMatch(/internal error|Possible solutions/);
    expect(existsSync(join(out, 'vehicle_positions'))).toBe(false);
  });
});
