import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { multiDayArchive } from '../helpers/archive.js';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { downloadLake, keysUnder, lakeCore } from '../helpers/lakeRows.js';
import { json, runCli, type CliResult } from '../helpers/runCli.js';
import { startMoto, startS3rver, type S3TestServer } from '../helpers/s3Server.js';
import { referenceLake } from '../helpers/tinyReference.js';

// Several real processes per test: generous on a loaded two-core machine.
vi.setConfig({ testTimeout: 150000 });

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));
const archive = multiDayArchive(4);
// Three inputs that touch the same day partitions with different rows.
const first = archive.filter((_, i) => i % 3 === 0);
const second = archive.filter((_, i) => i % 3 === 1);
const third = archive.filter((_, i) => i % 3 === 2);

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.concurrent('concurrent writers and lost answers on a store with conditional writes (moto)', () => {
  let server: S3TestServer | null = null;
  beforeAll(async () => {
    server = await startMoto();
    if (!server) return;
    await server.createBucket('archive');
    for (const f of first) await server.put('archive', `a/${f.key}`, f.bytes);
    for (const f of second) await server.put('archive', `b/${f.key}`, f.bytes);
    for (const f of third) await server.put('archive', `c/${f.key}`, f.bytes);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const ingest = (source: string, out: string, endpoint?: string): Promise<CliResult> =>
    runCli(['ingest', '--source', source, '--out', out, '--cache-dir', tmp('cache'), '--json'], {
      env: { ...server!.env, ...(endpoint ? { AWS_ENDPOINT_URL_S3: endpoint } : {}) },
    });
  const expectedOf = (withThird: boolean) =>
    referenceLake([
      ...first.map((f) => ({ ...f, key: `a/${f.key}` })),
      ...second.map((f) => ({ ...f, key: `b/${f.key}` })),
      ...(withThird ? third.map((f) => ({ ...f, key: `c/${f.key}` })) : []),
    ]);
  const lakeOf = async (bucket: string) => {
    const dir = tmp('lake');
    await downloadLake(server!.client, bucket, 'gtfs/', dir);
    return lakeCore(dir);
  };

  for (const existing of [false, true]) {
    it(`two runs into the same ${existing ? 'existing' : 'new'} partitions: the loser exits 7 naming the partition, its re-run merges, no row is lost`, async (ctx) => {
      if (!server) return ctx.skip('moto_server is not installed on this machine');
      const bucket = existing ? 'lake-existing' : 'lake-new';
      await server.createBucket(bucket);
      if (existing) {
        // Both partitions exist before the race: the writes are If-Match on the ETag each run read.
        const seed = await ingest('s3://archive/c/', `s3://${bucket}/gtfs`);
        expect(seed.code, seed.stderr).toBe(0);
      }
      // Run A is held at its first upload while run B writes the same partitions.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const proxy = await startFaultProxy({
        upstream: server.endpoint,
        seed: 3,
        rules: [{ match: (r) => r.method === 'PUT', holdUntil: released }],
      });
      try {
        const a = ingest('s3://archive/a/', `s3://${bucket}/gtfs`, proxy.endpoint);
        await until(() => proxy.log.some((l) => l.startsWith('PUT ')));
        const b = await ingest('s3://archive/b/', `s3://${bucket}/gtfs`);
        expect(b.code, b.stderr).toBe(0);
        release();
        const ra = await a;
        expect(ra.code, ra.stderr).toBe(7);
        expect(ra.stderr.trim().split('\n').at(-1)).toMatch(
          /^rtlake: partition s3:\/\/.*\/vehicle_positions\/year=\d+\/month=\d+\/day=\d+\/data\.parquet was changed by another writer.*Re-run/,
        );
        const again = await ingest('s3://archive/a/', `s3://${bucket}/gtfs`);
        expect(again.code, again.stderr).toBe(0);
        expect(await lakeOf(bucket)).toEqual(expectedOf(existing));
      } finally {
        release();
        await proxy.stop();
      }
    });
  }

  it('an upload whose answer is lost is retried; the 412 it then gets for its own write is not a conflict', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    await server.createBucket('lake-lost');
    const proxy = await startFaultProxy({
      upstream: server.endpoint,
      seed: 5,
      rules: [{ match: (r) => r.method === 'PUT', reset: 1, attempts: 1 }],
    });
    try {
      const r1 = await ingest('s3://archive/a/', 's3://lake-lost/gtfs', proxy.endpoint);
      expect(r1.code, r1.stderr).toBe(0);
      expect(json<{ retries: number }>(r1).retries).toBeGreaterThan(0);
      const r2 = await ingest('s3://archive/b/', 's3://lake-lost/gtfs', proxy.endpoint); // If-Match this time
      expect(r2.code, r2.stderr).toBe(0);
      expect(proxy.counts.reset).toBeGreaterThan(0);
      expect(await lakeOf('lake-lost')).toEqual(expectedOf(false));
    } finally {
      await proxy.stop();
    }
  });
});

describe('a store without conditional writes (s3rver)', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('archive');
    for (const f of first) await server.put('archive', f.key, f.bytes);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('s3rver ignores If-None-Match / If-Match: rtlake says so on stderr, and a single writer still gets an exact lake', async () => {
    await server.createBucket('lake');
    const r = await runCli(
      [
        'ingest',
        '--source',
        's3://archive/',
        '--out',
        's3://lake/gtfs',
        '--cache-dir',
        tmp('cache'),
        '--json',
      ],
      { env: server.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ignores conditional writes/);
    const dir = tmp('lake');
    await downloadLake(server.client, 'lake', 'gtfs/', dir);
    expect(await lakeCore(dir)).toEqual(referenceLake(first));
    expect(
      (await keysUnder(server.client, 'lake', 'gtfs/')).every((k) => k.startsWith('gtfs/vehicle_positions/')),
    ).toBe(true);
  });
});
