import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeS3Client } from '../../src/s3/s3Client.js';
import { DirectGetter } from '../../src/s3/directGet.js';
import { getObjectBytes } from '../../src/s3/getObjectBytes.js';
import { s3Implementations, type S3TestServer } from '../helpers/s3Server.js';

// Keys whose bytes a signed path must encode exactly: S3's reserved and sub-delimiter characters,
// a space, a percent sign, non-ASCII text, and the colons of MBTA's keys.
const keys = [
  '2021/09/06/2021-09-06T00:00:05Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
  "odd/a b+c=d&e;f,g'h(i)j*k!l~m$n@o.json",
  'odd/percent%20literal%.json',
  'odd/unicode-é-日本.json',
  'odd/brackets[1]{2}^|`.json',
];

for (const impl of s3Implementations) {
  describe(`the direct GET path (${impl.name})`, () => {
    let server: S3TestServer | null = null;
    const saved = { ...process.env };
    beforeAll(async () => {
      server = await impl.start();
      if (!server) return;
      // The client takes the server's (fake) credentials from the environment, as rtlake does.
      Object.assign(process.env, server.env);
      await server.createBucket('direct');
      for (const [i, key] of keys.entries())
        await server.put('direct', key, Buffer.from(`{"object":${i},"key":${JSON.stringify(key)}}`), {
          ContentEncoding: i === 0 ? 'gzip' : 'identity',
        });
    });
    afterAll(async () => {
      process.env = saved;
      await server?.stop();
    });

    const getter = (s: S3TestServer) => {
      const client = makeS3Client({ endpoint: s.endpoint, region: 'us-east-1', maxAttempts: 1 });
      return { client, direct: new DirectGetter(client, s.endpoint) };
    };

    it('signs and fetches every key byte for byte, with the same ETag and encoding as the SDK', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const { client, direct } = getter(server);
      for (const [i, key] of keys.entries()) {
        const got = await direct.get('direct', key);
        expect(got, key).not.toBeNull();
        expect(got!.body.toString()).toBe(`{"object":${i},"key":${JSON.stringify(key)}}`);
        const sdk = await getObjectBytes(client, 'direct', key);
        expect(got!.etag).toBe(sdk.etag);
        expect(got!.contentEncoding).toBe(sdk.contentEncoding);
      }
    });

    it('answers null for a missing key, so the SDK reports it (NoSuchKey) as before', async (ctx) => {
      if (!server) return ctx.skip(`${impl.name} is not installed on this machine`);
      const { client, direct } = getter(server);
      expect(await direct.get('direct', 'odd/not-there.json')).toBeNull();
      await expect(getObjectBytes(client, 'direct', 'odd/not-there.json')).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    });
  });
}
