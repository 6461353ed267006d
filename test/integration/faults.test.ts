import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { multiDayArchive } from '../helpers/archive.js';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { downloadLake, keysUnder, lakeCore } from '../helpers/lakeRows.js';
import { json, runCli } from '../helpers/runCli.js';
import { freePort, startS3rver, type S3TestServer } from '../helpers/s3Server.js';
import { referenceLake } from '../helpers/tinyReference.js';

// Several real processes per test: generous on a loaded two-core machine.
vi.setConfig({ testTimeout: 120000 });

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));

interface Summary {
  keys_listed: number;
  keys_loaded: number;
  keys_failed: number;
  skipped: { key: string; reason: string }[];
  retries: number;
}

describe.concurrent('faults between rtlake and S3 (fault proxy in front of s3rver)', () => {
  let server: S3TestServer;
  const archive = multiDayArchive(4);
  const expected = referenceLake(archive);

  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    for (const f of archive) await server.put('archive', f.key, f.bytes);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('under 20% throttling, 5% resets mid-body, 500s and truncated bodies the lake is exact and retries are reported', async () => {
    await server.createBucket('lake-faults');
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 7,
      rules: [{ throttle: 0.2, reset: 0.05, error500: 0.03, truncate: 0.03 }],
    });
    try {
      const r = await runCli(
        [
          'ingest',
          '--source',
          's3://archive/',
          '--out',
          's3://lake-faults/gtfs',
          '--cache-dir',
          tmp('cache'),
          '--concurrency',
          '4',
          '--json',
        ],
        { env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint } },
      );
      expect(r.code, r.stderr).toBe(0);
      const s = json<Summary>(r);
      expect(s.keys_loaded).toBe(archive.length);
      expect(s.keys_failed).toBe(0);
      expect(proxy.counts.throttle).toBeGreaterThan(0);
      expect(proxy.counts.reset + proxy.counts.truncate).toBeGreaterThan(0);
      expect(s.retries).toBeGreaterThanOrEqual(proxy.counts.throttle + proxy.counts.error500);
      const lake = tmp('lake');
      await downloadLake(server.client, 'lake-faults', 'gtfs/', lake);
      expect(await lakeCore(lake)).toEqual(expected);
      // Exactly one object per day partition: nothing else under the table.
      const keys = await keysUnder(server.client, 'lake-faults', 'gtfs/vehicle_positions/');
      expect(keys.every((k) => /\/year=\d+\/month=\d+\/day=\d+\/data\.parquet$/.test(k))).toBe(true);
      expect(keys.length).toBe(new Set(expected.map((row) => row.split('|')[0])).size);

      // Again through the same faults: every existing partition is read back (through resets and
      // truncation) and found unchanged.
      const again = await runCli(
        [
          'ingest',
          '--source',
          's3://archive/',
          '--out',
          's3://lake-faults/gtfs',
          '--cache-dir',
          tmp('cache'),
          '--concurrency',
          '4',
          '--json',
        ],
        { env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint } },
      );
      expect(again.code, again.stderr).toBe(0);
      const s2 = json<Summary & { partitions: { status: string }[] }>(again);
      expect(s2.partitions.every((p) => p.status === 'unchanged')).toBe(true);
      expect(s2.retries).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it('a key deleted after listing is skipped as vanished and the rest is exact', async () => {
    await server.createBucket('vanish-src');
    await server.createBucket('vanish-lake');
    for (const f of archive) await server.put('vanish-src', f.key, f.bytes);
    const gone = archive[5]!;
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 1,
      rules: [],
      vanishAfterListing: { client: server.client, bucket: 'vanish-src', key: gone.key },
    });
    try {
      const out = tmp('vanish-out');
      const r = await runCli(
        ['ingest', '--source', 's3://vanish-src/', '--out', out, '--cache-dir', tmp('cache'), '--json'],
        {
          env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      const s = json<Summary>(r);
      expect(s.skipped).toEqual([
        expect.objectContaining({ key: `s3://vanish-src/${gone.key}`, reason: 'vanished' }),
      ]);
      expect(s.keys_loaded).toBe(archive.length - 1);
      expect(await lakeCore(out)).toEqual(referenceLake(archive.filter((f) => f !== gone)));

      const strict = await runCli(
        [
          'ingest',
          '--source',
          's3://vanish-src/',
          '--out',
          tmp('strict-out'),
          '--cache-dir',
          tmp('cache'),
          '--strict',
        ],
        {
          env: { ...server.env, AWS_ENDPOINT_URL_S3: server.endpoint },
        },
      );
      // The key is gone from the listing now; --strict has nothing to refuse.
      expect(strict.code, strict.stderr).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('an archived object (InvalidObjectState) is skipped with how to restore it; a 0-byte object as empty', async () => {
    await server.createBucket('cold');
    const [warm, cold] = archive;
    await server.put('cold', warm!.key, warm!.bytes);
    await server.put('cold', cold!.key, cold!.bytes);
    await server.put('cold', '2022/01/01/zero_VehiclePositions.json', Buffer.alloc(0));
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 1,
      rules: [
        {
          match: (q) => q.method === 'GET' && q.key === cold!.key,
          answer: { status: 403, code: 'InvalidObjectState' },
        },
      ],
    });
    try {
      const out = tmp('cold-out');
      const r = await runCli(
        ['ingest', '--source', 's3://cold/', '--out', out, '--cache-dir', tmp('cache'), '--json', '--quiet'],
        {
          env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      const s = json<Summary & { skipped: { key: string; reason: string; detail: string }[] }>(r);
      expect(s.skipped).toEqual([
        expect.objectContaining({
          key: `s3://cold/${cold!.key}`,
          reason: 'archived',
          detail: expect.stringContaining('restore-object --bucket cold'),
        }),
        expect.objectContaining({ key: 's3://cold/2022/01/01/zero_VehiclePositions.json', reason: 'empty' }),
      ]);
      expect(await lakeCore(out)).toEqual(referenceLake([warm!]));
    } finally {
      await proxy.stop();
    }
  });

  const progress =
    /^rtlake: (listing s3:\/\/\S*|fetching and loading|loading|merging partitions|writing parquet|uploading partitions|publishing partitions)( \(\d+\))?$/;
  const oneErrorLine = (stderr: string) =>
    stderr.split('\n').filter((l) => l.trim() !== '' && !progress.test(l));

  it('a missing bucket is one line naming it, exit 5', async () => {
    const r = await runCli(
      ['ingest', '--source', 's3://no-such-bucket/2021/', '--out', tmp('out'), '--cache-dir', tmp('cache')],
      { env: server.env },
    );
    expect(r.code).toBe(5);
    const lines = oneErrorLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/s3:\/\/no-such-bucket\/2021\/.*NoSuchBucket/);
  });

  it('AccessDenied (HTTP 403 from the store) is one line with the fix, exit 5, no secret in output', async () => {
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 1,
      rules: [],
      answerAll: { status: 403, code: 'AccessDenied' },
    });
    try {
      const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      const r = await runCli(
        ['ingest', '--source', 's3://archive/', '--out', tmp('out'), '--cache-dir', tmp('cache'), '--json'],
        {
          env: { ...server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_SECRET_ACCESS_KEY: secret },
        },
      );
      expect(r.code).toBe(5);
      const lines = oneErrorLine(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/s3:\/\/archive\/.*AccessDenied.*credentials/);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(proxy.counts.requests).toBe(1); // permanent: not retried
    } finally {
      await proxy.stop();
    }
  });

  // s3rver and moto accept any signature, so the store's refusal comes from the proxy.
  for (const [status, code, says] of [
    [403, 'InvalidAccessKeyId', /InvalidAccessKeyId.*AWS_ACCESS_KEY_ID/],
    [403, 'SignatureDoesNotMatch', /SignatureDoesNotMatch.*secret/],
    [400, 'ExpiredToken', /expired.*re-run/],
  ] as const) {
    it(`${code} is one line with the fix, exit 5, and the secret never appears`, async () => {
      const proxy = await startFaultProxy({
        upstream: server.endpoint,
        seed: 1,
        rules: [],
        answerAll: { status, code },
      });
      try {
        const secret = 'not-the-right-secret-9f8e7d6c5b4a';
        const r = await runCli(
          ['ingest', '--source', 's3://archive/', '--out', tmp('out'), '--cache-dir', tmp('cache'), '--json'],
          {
            env: {
              ...server.env,
              AWS_ENDPOINT_URL_S3: proxy.endpoint,
              AWS_SECRET_ACCESS_KEY: secret,
              AWS_SESSION_TOKEN: `token-${secret}`,
            },
          },
        );
        expect(r.code).toBe(5);
        const lines = oneErrorLine(r.stderr);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(says);
        expect(r.stdout + r.stderr).not.toContain(secret);
      } finally {
        await proxy.stop();
      }
    });
  }

  it('missing credentials are one line, exit 5', async () => {
    const home = tmp('home');
    const env: Record<string, string> = {
      ...server.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    };
    const r = await runCli(
      ['ingest', '--source', 's3://archive/', '--out', tmp('out'), '--cache-dir', tmp('cache')],
      { env },
    );
    expect(r.code).toBe(5);
    const lines = oneErrorLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no AWS credentials/);
  });

  it('an endpoint where nothing listens is one line naming it, exit 5', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await runCli(
      ['ingest', '--source', 's3://archive/', '--out', tmp('out'), '--cache-dir', tmp('cache')],
      {
        env: { ...server.env, AWS_ENDPOINT_URL_S3: `http://rtlake:endpoint-password-123@127.0.0.1:${port}` },
      },
    );
    expect(r.code).toBe(5);
    const lines = oneErrorLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`http://127.0.0.1:${port}`);
    expect(r.stderr).not.toContain('endpoint-password-123');
    expect(lines[0]).toMatch(/cannot reach/);
    expect(Date.now() - started).toBeLessThan(15_000); // reported at once, not after a minute of backoff
  });
});
