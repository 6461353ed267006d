import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { multiDayArchive } from '../helpers/archive.js';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { downloadLake, filesUnder, keysUnder, lakeRows } from '../helpers/lakeRows.js';
import { binPath, repoRoot, runCli } from '../helpers/runCli.js';
import { startS3rver, type S3TestServer } from '../helpers/s3Server.js';

// Several real processes per test: generous on a loaded two-core machine.
vi.setConfig({ testTimeout: 150000 });

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));
const archive = multiDayArchive(4);
// The lake before the interrupted run holds the first snapshot of each real file; the run adds the rest.
const before = archive.filter((_, i) => i % 4 === 0);

/** Rows grouped by partition. */
function byPartition(rows: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const p = (JSON.parse(r) as { partition: string }).partition;
    m.set(p, [...(m.get(p) ?? []), r]);
  }
  return m;
}

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.concurrent('SIGKILL at any moment, then a re-run', () => {
  let server: S3TestServer;
  let expectedRows: string[];
  let oldLake: string;

  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    for (const f of archive) await server.put('archive', f.key, f.bytes);
    // The uninterrupted runs the interrupted ones must end up equal to, row by row.
    oldLake = tmp('old');
    const full = tmp('full');
    const src = tmp('src-before');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    for (const f of before) {
      mkdirSync(join(src, f.key, '..'), { recursive: true });
      writeFileSync(join(src, f.key), f.bytes);
    }
    // Folder keys are paths relative to the folder, equal to the S3 keys: lineage matches.
    for (const out of [oldLake, full])
      expect((await runCli(['ingest', '--source', src, '--out', out, '--quiet'])).code).toBe(0);
    const r = await runCli(
      ['ingest', '--source', 's3://archive/', '--out', full, '--cache-dir', tmp('cache'), '--quiet'],
      { env: server.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expectedRows = await lakeRows(full);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every object under vehicle_positions/ is a partition's data.parquet, nothing else. */
  const onlyPartitionFiles = (files: string[]) =>
    files.every((f) => /^year=\d+\/month=\d+\/day=\d+\/data\.parquet$/.test(f));

  /** Each partition holds exactly its rows before the run or exactly its rows after a complete one. */
  async function expectOldOrNew(lake: string): Promise<void> {
    const now = byPartition(await lakeRows(lake));
    const old = byPartition(await lakeRows(oldLake));
    const final = byPartition(expectedRows);
    for (const [p, rows] of now) {
      const matches =
        JSON.stringify(rows) === JSON.stringify(old.get(p)) ||
        JSON.stringify(rows) === JSON.stringify(final.get(p));
      expect(matches, `partition ${p} is neither as it was nor as it will be`).toBe(true);
    }
  }

  async function killAndHeal(
    point: string,
    args: {
      out: string;
      env: Record<string, string>;
      waitFor: (stderr: string) => boolean;
      observe?: () => void;
    },
  ) {
    const cache = tmp('cache');
    const run = start(
      ['ingest', '--source', 's3://archive/', '--out', args.out, '--cache-dir', cache, '--verbose'],
      args.env,
    );
    let observations = 0;
    const watcher = setInterval(() => {
      args.observe?.();
      observations++;
    }, 3);
    try {
      await until(point, () => args.waitFor(run.stderr()));
      run.child.kill('SIGKILL');
      // Killed (null) is the point of the test. On a fast, quiet machine the last stages (renaming a
      // few partitions) can finish before the signal lands: then the run exited 0 and the lake must
      // simply be complete, which the checks below also accept.
      expect([null, 0]).toContain(await run.exited);
    } finally {
      clearInterval(watcher);
    }
    args.observe?.();
    expect(observations).toBeGreaterThan(0);
    // The cache never holds a partial object under a servable name: every .json/.json.gz file is a whole object.
    const whole = new Set(archive.map((f) => f.bytes.toString('base64')));
    for (const f of filesUnder(cache).filter((f) => /\.json(\.gz)?$/.test(f))) {
      expect(
        whole.has(readFileSync(join(cache, f)).toString('base64')),
        `cache file ${f} is not a whole object`,
      ).toBe(true);
    }
    return cache;
  }

  it('during fetch (local lake): no partial cache file is served and the re-run equals an uninterrupted run', async () => {
    const out = tmp('lake');
    cpSync(oldLake, out, { recursive: true });
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 11,
      rules: [
        { match: (r) => r.method === 'GET' && !r.url.includes('list-type'), delayMs: 150, truncate: 0.3 },
      ],
    });
    const seen: string[][] = [];
    const cache = await killAndHeal('a few fetches', {
      out,
      env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
      waitFor: () => proxy.log.filter((l) => l.startsWith('GET') && !l.includes('list-type')).length >= 6,
      observe: () => seen.push(filesUnder(join(out, 'vehicle_positions'))),
    });
    await proxy.stop();
    expect(seen.every(onlyPartitionFiles)).toBe(true);
    await expectOldOrNew(out);
    const again = await runCli(
      ['ingest', '--source', 's3://archive/', '--out', out, '--cache-dir', cache, '--quiet'],
      { env: server.env },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(await lakeRows(out)).toEqual(expectedRows);
    expect(readdirSync(out).filter((n) => n !== 'vehicle_positions')).toEqual([]);
  });

  for (const stage of ['merging partitions', 'writing parquet', 'publishing partitions']) {
    it(`during transform/publish ("${stage}", local lake): every partition old or new at every observation, re-run heals`, async () => {
      const out = tmp('lake');
      cpSync(oldLake, out, { recursive: true });
      const seen: string[][] = [];
      await killAndHeal(stage, {
        out,
        env: server.env,
        waitFor: (stderr) => stderr.includes(`progress: ${stage}`),
        observe: () => seen.push(filesUnder(join(out, 'vehicle_positions'))),
      });
      expect(seen.every(onlyPartitionFiles)).toBe(true);
      await expectOldOrNew(out);
      const again = await runCli(
        ['ingest', '--source', 's3://archive/', '--out', out, '--cache-dir', tmp('cache'), '--quiet'],
        { env: server.env },
      );
      expect(again.code, again.stderr).toBe(0);
      expect(await lakeRows(out)).toEqual(expectedRows);
      expect(readdirSync(out).filter((n) => n !== 'vehicle_positions')).toEqual([]);
    });
  }

  it('during upload (S3 lake): only whole data.parquet objects are ever listed, each old or new, and the re-run heals', async () => {
    await server.createBucket('lake');
    // The old lake in S3, written through rtlake itself.
    const seedSrc = tmp('seed-src');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    for (const f of before) {
      mkdirSync(join(seedSrc, f.key, '..'), { recursive: true });
      writeFileSync(join(seedSrc, f.key), f.bytes);
    }
    expect(
      (
        await runCli(['ingest', '--source', seedSrc, '--out', 's3://lake/gtfs', '--quiet'], {
          env: server.env,
        })
      ).code,
    ).toBe(0);
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 12,
      rules: [{ match: (r) => r.method === 'PUT' && r.key.includes('vehicle_positions/'), delayMs: 400 }],
    });
    const listings: string[][] = [];
    let observing = Promise.resolve();
    await killAndHeal('the second partition upload', {
      out: 's3://lake/gtfs',
      env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
      waitFor: () =>
        proxy.log.filter((l) => l.startsWith('PUT') && l.includes('vehicle_positions')).length >= 2,
      observe: () => {
        observing = observing.then(
          async () => void listings.push(await keysUnder(server.client, 'lake', 'gtfs/vehicle_positions/')),
        );
      },
    });
    await observing;
    await proxy.stop();
    expect(listings.length).toBeGreaterThan(0);
    expect(
      listings.every((keys) =>
        onlyPartitionFiles(keys.map((k) => k.slice('gtfs/vehicle_positions/'.length))),
      ),
    ).toBe(true);
    const mid = tmp('mid');
    await downloadLake(server.client, 'lake', 'gtfs/', mid);
    await expectOldOrNew(mid);
    const again = await runCli(
      [
        'ingest',
        '--source',
        's3://archive/',
        '--out',
        's3://lake/gtfs',
        '--cache-dir',
        tmp('cache'),
        '--quiet',
      ],
      { env: server.env },
    );
    expect(again.code, again.stderr).toBe(0);
    const healed = tmp('healed');
    await downloadLake(server.client, 'lake', 'gtfs/', healed);
    expect(await lakeRows(healed)).toEqual(expectedRows);
    expect(
      (await keysUnder(server.client, 'lake', 'gtfs/')).every((k) => k.startsWith('gtfs/vehicle_positions/')),
    ).toBe(true);
  });
});
