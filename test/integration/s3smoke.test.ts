import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/runCli.js';
import { s3Implementations, type S3TestServer } from '../helpers/s3Server.js';

const sample = join(
  import.meta.dirname,
  '../../src/demo/sample/2022/07/05/2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
);

for (const impl of s3Implementations) {
  describe(`ingest from and to S3 (${impl.name})`, () => {
    let server: S3TestServer | null = null;
    beforeAll(async () => {
      server = await impl.start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('reads a key with colons and writes the lake back to S3', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      await server.createBucket('archive');
      await server.createBucket('lake');
      await server.put(
        'archive',
        '2022/07/05/2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
        readFileSync(sample),
      );
      const cache = mkdtempSync(join(tmpdir(), 'rtlake-cache-'));
      const r = await runCli(
        [
          'ingest',
          '--source',
          's3://archive/2022/',
          '--out',
          's3://lake/gtfs',
          '--cache-dir',
          cache,
          '--json',
        ],
        { env: server.env },
      );
      expect(r.code, r.stderr).toBe(0);
      const s = json<{ keys_loaded: number; rows_written: number; partitions: { path: string }[] }>(r);
      expect(s.keys_loaded).toBe(1);
      expect(s.rows_written).toBe(683);
      expect(s.partitions[0]!.path).toBe(
        's3://lake/gtfs/vehicle_positions/year=2022/month=7/day=5/data.parquet',
      );
      // The S3 lake is synced into the cache and queried there (twice: the second sync reuses the copy).
      for (let i = 0; i < 2; i++) {
        const q = await runCli(
          [
            'query',
            '--lake',
            's3://lake/gtfs',
            '--cache-dir',
            cache,
            '--format',
            'json',
            '--quiet',
            'SELECT count(*) AS n, min(day) AS day FROM vehicle_positions',
          ],
          { env: server.env },
        );
        expect(q.code, q.stderr).toBe(0);
        expect(JSON.parse(q.stdout)).toEqual([{ n: 683, day: 5 }]);
      }
    });
  });
}
