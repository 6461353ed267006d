import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { multiDayArchive } from '../helpers/archive.js';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { downloadLake, filesUnder, lakeCore, lakeRows } from '../helpers/lakeRows.js';
import { binPath, json, repoRoot, runCli } from '../helpers/runCli.js';
import { startS3rver, type S3TestServer } from '../helpers/s3Server.js';
import { referenceLake } from '../helpers/tinyReference.js';

// Several real processes per test: generous on a loaded two-core machine.
vi.setConfig({ testTimeout: 120000 });

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));
const awkward = `it's "quoted"; x ü 🚌`;
const archive = multiDayArchive(2).map((f, i) => ({
  ...f,
  key: `${awkward}/${i}-${awkward}_VehiclePositions_enhanced.json${f.key.endsWith('.gz') ? '.gz' : ''}`,
}));
const secret = 'SECRETvalue/abc+123-never-print-me';

describe.concurrent('awkward names, private temporary files, no credentials in output', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    await server.createBucket('lake');
    for (const f of archive) await server.put('archive', f.key, f.bytes);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`a source folder and an out folder named ${awkward} round-trip, lineage keys untouched`, async () => {
    const src = join(tmp('src'), awkward);
    for (const f of archive) {
      mkdirSync(join(src, f.key, '..'), { recursive: true });
      writeFileSync(join(src, f.key), f.bytes);
    }
    const out = join(tmp('out'), `lake ${awkward}`);
    const r = await runCli(['ingest', '--source', src, '--out', out, '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ keys_loaded: number }>(r).keys_loaded).toBe(archive.length);
    expect(await lakeCore(out)).toEqual(referenceLake(archive));
  });

  it(`S3 keys and an S3 lake prefix with ${awkward} round-trip; the secret never appears; cache files are 0600 in 0700 folders`, async () => {
    const cache = join(tmp('cache-parent'), 'cache');
    const r = await runCli(
      [
        'ingest',
        '--source',
        `s3://archive/${awkward}/`,
        '--out',
        `s3://lake/${awkward}`,
        '--cache-dir',
        cache,
        '--json',
      ],
      { env: { ...server.env, AWS_SECRET_ACCESS_KEY: secret } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const dir = tmp('lake');
    await downloadLake(server.client, 'lake', `${awkward}/`, dir);
    expect(await lakeCore(dir)).toEqual(referenceLake(archive));
    const files = filesUnder(cache);
    expect(files.length).toBe(archive.length);
    for (const f of files) expect(statSync(join(cache, f)).mode & 0o777, f).toBe(0o600);
    const dirs = new Set(files.map((f) => join(cache, f, '..')));
    for (const d of [cache, join(cache, 'objects'), ...dirs]) expect(statSync(d).mode & 0o777, d).toBe(0o700);
  });

  it('a run killed mid-way leaves only private temporary files (0700 folders), and errors carry no secret', async () => {
    const temp = tmp('tmpdir');
    const out = tmp('out');
    const cache = tmp('cache');
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 2,
      rules: [{ match: (q) => q.method === 'GET' && !q.url.includes('list-type'), delayMs: 300 }],
    });
    try {
      const child = spawn(
        process.execPath,
        [binPath, 'ingest', '--source', `s3://archive/${awkward}/`, '--out', out, '--cache-dir', cache],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            ...server.env,
            AWS_ENDPOINT_URL_S3: proxy.endpoint,
            AWS_SECRET_ACCESS_KEY: secret,
            TMPDIR: temp,
          },
          stdio: 'ignore',
        },
      );
      const exited = new Promise((resolve) => child.on('close', resolve));
      const deadline = Date.now() + 30_000;
      while (
        proxy.log.filter((l) => l.startsWith('GET') && !l.includes('list-type')).length < 3 &&
        Date.now() < deadline
      )
        await new Promise((res) => setTimeout(res, 10));
      child.kill('SIGKILL');
      await exited;
      const leftovers = readdirSync(temp).map((n) => join(temp, n));
      expect(leftovers.length).toBeGreaterThan(0); // the run's DuckDB work folder
      for (const d of leftovers) expect(statSync(d).mode & 0o777, d).toBe(0o700);
      for (const n of readdirSync(out).filter((x) => x.startsWith('.rtlake'))) {
        const mode = statSync(join(out, n)).mode & 0o777;
        expect([0o600, 0o700], n).toContain(mode);
      }
    } finally {
      await proxy.stop();
    }
    // A permanent error names the key, never the secret.
    const denied = await startFaultProxy({
      upstream: server.endpoint,
      seed: 1,
      rules: [],
      answerAll: { status: 403, code: 'AccessDenied' },
    });
    try {
      const r = await runCli(
        ['ingest', '--source', `s3://archive/${awkward}/`, '--out', `s3://lake/x`, '--json'],
        {
          env: { ...server.env, AWS_ENDPOINT_URL_S3: denied.endpoint, AWS_SECRET_ACCESS_KEY: secret },
        },
      );
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(awkward);
      expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      await denied.stop();
    }
    expect(await lakeRows(out)).toEqual([]);
  });
});
