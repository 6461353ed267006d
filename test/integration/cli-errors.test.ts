import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realFixtures } from '../helpers/archive.js';
import { runCli } from '../helpers/runCli.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));

function archiveFolder(): string {
  const src = tmp('src');
  const f = realFixtures()[0]!;
  writeFileSync(join(src, f.name), f.bytes);
  return src;
}

describe('bad command-line input: one line on stderr, a distinct exit code (README table)', () => {
  const cases: [string, () => string[], number, RegExp][] = [
    [
      'malformed s3:// URL',
      () => ['ingest', '--source', 's3://Not_A_Bucket!/2021/', '--out', tmp('out')],
      2,
      /not a valid s3:\/\/ URL/,
    ],
    ['s3:// without a bucket', () => ['ingest', '--source', 's3://', '--out', tmp('out')], 2, /s3:\/\//],
    [
      'other URL schemes',
      () => ['ingest', '--source', 'gs://bucket/x', '--out', tmp('out')],
      2,
      /only s3:\/\/ URLs and local folders/,
    ],
    [
      'missing source folder',
      () => ['ingest', '--source', join(tmp('x'), 'nope'), '--out', tmp('out')],
      2,
      /does not exist/,
    ],
    [
      'unknown flag',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('out'), '--bogus'],
      2,
      /unknown option '--bogus'/,
    ],
    [
      'bad --concurrency',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('out'), '--concurrency', 'lots'],
      2,
      /--concurrency/,
    ],
    [
      'bad --max-object-size',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('out'), '--max-object-size', 'big'],
      2,
      /--max-object-size/,
    ],
    [
      'glob matching nothing',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('out'), '--glob', '*TripUpdates*'],
      3,
      /none of the 1 objects .*--glob "\*TripUpdates\*"/,
    ],
    ['empty source folder', () => ['ingest', '--source', tmp('empty'), '--out', tmp('out')], 3, /is empty/],
    [
      'unwritable output (a path under a file)',
      () => {
        const file = join(tmp('f'), 'a-file');
        writeFileSync(file, 'x');
        return ['ingest', '--source', archiveFolder(), '--out', join(file, 'lake')];
      },
      6,
      /not writable/,
    ],
  ];
  for (const [what, args, code, says] of cases) {
    it.concurrent(`${what} -> exit ${code}`, async () => {
      const r = await runCli(args());
      expect(r.code, r.stderr).toBe(code);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(says);
      expect(r.stdout).toBe('');
    });
  }

  it('a lake held by a live writer -> exit 7', async () => {
    const out = tmp('out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, '.rtlake.lock'), String(process.pid)); // this test process is alive
    const r = await runCli(['ingest', '--source', archiveFolder(), '--out', out]);
    expect(r.code).toBe(7);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/another rtlake \(pid \d+\) is writing/);
  });
});
