import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evictToCap } from '../../src/cli/cacheFiles.js';
import { runCli } from '../helpers/runCli.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-cache-${name}-`));

/** A cache folder with files of `size` bytes, each last used `age` seconds ago. */
function cacheWith(files: { rel: string; size: number; age: number }[]): string {
  const dir = tmp('dir');
  const now = Date.now() / 1000;
  for (const f of files) {
    const path = join(dir, f.rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(f.size));
    utimesSync(path, now - f.age, now - f.age);
  }
  return dir;
}

describe('the cache', () => {
  it('evicts the least recently used files until under the cap, never the ones in use', async () => {
    const dir = cacheWith([
      { rel: 'objects/aa/old', size: 400, age: 400 },
      { rel: 'objects/bb/older-but-in-use', size: 400, age: 500 },
      { rel: 'lake-copies/x/vehicle_positions/year=2021/month=9/day=6/data.parquet', size: 400, age: 300 },
      { rel: 'lake-copies/x/.rtlake-copy.json', size: 10, age: 900 },
      { rel: 'objects/cc/new', size: 400, age: 10 },
      { rel: 'not-ours.txt', size: 5000, age: 1000 },
    ]);
    // 1,610 bytes of ours; a cap of 900 removes the two oldest not in use (old, then day=6).
    const result = await evictToCap(dir, 900, new Set([join(dir, 'objects/bb/older-but-in-use')]));
    expect(result).toEqual({ files: 2, bytes: 800, kept_bytes: 810 });
    expect(existsSync(join(dir, 'objects/aa/old'))).toBe(false);
    expect(
      existsSync(join(dir, 'lake-copies/x/vehicle_positions/year=2021/month=9/day=6/data.parquet')),
    ).toBe(false);
    for (const kept of [
      'objects/bb/older-but-in-use',
      'objects/cc/new',
      'lake-copies/x/.rtlake-copy.json',
      'not-ours.txt',
    ])
      expect(existsSync(join(dir, kept)), kept).toBe(true);
    expect(await evictToCap(dir, 10_000)).toEqual({ files: 0, bytes: 0, kept_bytes: 810 });
  });

  it('rtlake cache info and clean show and empty rtlake’s folders only', async () => {
    const dir = cacheWith([
      { rel: 'objects/aa/one', size: 1000, age: 1 },
      { rel: 'lake-copies/x/y.parquet', size: 2000, age: 1 },
      { rel: 'mine.txt', size: 7, age: 1 },
    ]);
    const info = await runCli(['cache', 'info', '--cache-dir', dir, '--json', '--cache-max', '1GB']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toEqual({ cache_dir: dir, files: 2, bytes: 3000, cap_bytes: 1e9 });
    const viaEnv = await runCli(['cache', 'info', '--json'], { env: { RTLAKE_CACHE_DIR: dir } });
    expect(JSON.parse(viaEnv.stdout).bytes).toBe(3000);
    const clean = await runCli(['cache', 'clean', '--cache-dir', dir]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe(`${dir}: removed 2 files, 0.0 MB\n`);
    expect(existsSync(join(dir, 'objects'))).toBe(false);
    expect(existsSync(join(dir, 'mine.txt'))).toBe(true);
  });
});
