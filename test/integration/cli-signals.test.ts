import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { lakeRows } from '../helpers/lakeRows.js';
import { startS3rver } from '../helpers/s3Server.js';
import { repoRoot, runCli } from '../helpers/runCli.js';
import { runWith } from './cli-process.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-signals-${name}-`));
const sample = join(repoRoot, 'src/demo/sample');

/** A lake's rows per partition (Parquet bytes differ run to run; the rows do not). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string[]> = {};
  for (const row of await lakeRows(dir)) (out[JSON.parse(row).partition as string] ??= []).push(row);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join('\n')]));
}

/** The bundled sample 20 times over (240 files): slow enough to interrupt at each phase. */
let archive: string;
/** A lake ingested from the first copy only, and what the full archive makes of it. */
let before: Record<string, string>;
let after: Record<string, string>;
let baseLake: string;

function copyLake(): string {
  const dir = join(tmp('lake'), 'lake');
  cpSync(baseLake, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  archive = tmp('archive');
  const files = readdirSync(sample, { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name.includes('VehiclePositions'),
  );
  for (let i = 1; i <= 20; i++)
    for (const f of files) cpSync(join(f.parentPath, f.name), join(archive, `c${i}_${basename(f.name)}`));
  const first = tmp('first');
  for (const f of files.slice(0, 6)) cpSync(join(f.parentPath, f.name), join(first, f.name));
  baseLake = join(tmp('base'), 'lake');
  expect((await runCli(['ingest', '--source', first, '--out', baseLake, '--quiet'])).code).toBe(0);
  before = await snapshot(baseLake);
  const full = copyLake();
  expect((await runCli(['ingest', '--source', archive, '--out', full, '--quiet'])).code).toBe(0);
  after = await snapshot(full);
  expect(after).not.toEqual(before);
}, 120_000);

describe('SIGINT or SIGTERM mid-ingest: one line, exit 130, nothing left behind', () => {
  const phases: [string, string, NodeJS.Signals][] = [
    ['while loading', 'progress: loading', 'SIGINT'],
    ['while merging', 'progress: merging partitions', 'SIGINT'],
    ['while writing', 'progress: publishing partitions', 'SIGTERM'],
  ];
  for (const [when, cue, signal] of phases) {
    it(`${signal} ${when}`, async () => {
      const lake = copyLake();
      const work = tmp('tmpdir');
      let sent = false;
      const r = await runWith(
        ['ingest', '--source', archive, '--out', lake, '--batch-files', '4', '--verbose'],
        {
          env: { TMPDIR: work },
          onStderr: (text, child) => {
            if (!sent && text.includes(cue)) {
              sent = true;
              child.kill(signal);
            }
          },
        },
      );
      expect(sent, r.stderr).toBe(true);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr.split('\n').filter((l) => l === 'rtlake: interrupted')).toHaveLength(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe('rtlake: interrupted');
      expect(r.stdout).toBe('');
      // The run's temporary folder and the lake's lock are gone.
      expect(readdirSync(work)).toEqual([]);
      expect(readdirSync(lake)).not.toContain('.rtlake.lock');
      // Each partition is as it was or as the complete run makes it.
      const now = await snapshot(lake);
      for (const [file, bytes] of Object.entries(now)) {
        expect([before[file], after[file]], file).toContain(bytes);
      }
      for (const file of Object.keys(before)) expect(now[file], file).toBeDefined();
    });
  }

  it('SIGINT while fetching from S3 (each GET held 200 ms): requests stop, the lake as it was', async () => {
    const s3 = await startS3rver();
    const proxy = await startFaultProxy({
      upstream: s3.endpoint,
      seed: 1,
      rules: [{ match: (r) => r.method === 'GET' && r.key.endsWith('.json.gz'), delayMs: 200 }],
    });
    try {
      await s3.createBucket('archive');
      for (const name of readdirSync(archive))
        await s3.put('archive', `a/${name}`, readFileSync(join(archive, name)));
      const lake = copyLake();
      const work = tmp('tmpdir');
      let sent = false;
      let requestsAtSignal = 0;
      const r = await runWith(
        [
          'ingest',
          '--source',
          's3://archive/a/',
          '--out',
          lake,
          '--concurrency',
          '4',
          '--cache-dir',
          tmp('cache'),
        ],
        {
          env: { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, TMPDIR: work },
          onStderr: (text, child) => {
            if (!sent && text.includes('progress: fetching and loading')) {
              sent = true;
              setTimeout(() => {
                requestsAtSignal = proxy.counts.requests;
                child.kill('SIGINT');
              }, 500);
            }
          },
        },
      );
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr.trim().split('\n').at(-1)).toBe('rtlake: interrupted');
      // Fewer GETs than the 240 files, and hardly any after the signal: the fetching stopped.
      expect(requestsAtSignal).toBeLessThan(240);
      expect(proxy.counts.requests).toBeLessThan(requestsAtSignal + 10);
      expect(readdirSync(work)).toEqual([]);
      expect(readdirSync(lake)).not.toContain('.rtlake.lock');
      expect(await snapshot(lake)).toEqual(before);
    } finally {
      await proxy.stop();
      await s3.stop();
    }
  });

  it('a query interrupted mid-run: DuckDB stops at once, exit 130, one line', async () => {
    const lake = copyLake();
    let signalledAt = 0;
    const r = await runWith(
      [
        'query',
        '--lake',
        lake,
        '--format',
        'csv',
        'SELECT sum(a.range * b.range) FROM range(100000) a, range(1000000) b',
      ],
      {
        onSpawn: (child) =>
          setTimeout(() => {
            signalledAt = Date.now();
            child.kill('SIGINT');
          }, 2000),
        timeoutMs: 60_000,
      },
    );
    const stoppedWithin = Date.now() - signalledAt;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe('rtlake: interrupted\n');
    expect(r.stdout).toBe('');
    expect(stoppedWithin).toBeLessThan(5000);
  });
});
