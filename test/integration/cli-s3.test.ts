import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realFixtures } from '../helpers/archive.js';
import { runCli } from '../helpers/runCli.js';
import { hasMoto, startMoto, startS3rver, type S3TestServer } from '../helpers/s3Server.js';
import { runWith } from './cli-process.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-s3cli-${name}-`));

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** A plain forwarding proxy in front of the S3 server that writes down every request it passes. */
async function recordingProxy(
  target: string,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method!, path: decodeURIComponent(req.url!), headers: req.headers });
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An environment with no credentials and no AWS settings at all: only PATH and an empty HOME. */
const bareEnv = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH!, HOME: tmp('home'), ...extra });

let s3: S3TestServer;
const archiveKeys: string[] = [];
beforeAll(async () => {
  s3 = await startS3rver();
  await s3.createBucket('open-data');
  for (const f of realFixtures()) {
    archiveKeys.push(`archive/${f.name}`);
    await s3.put('open-data', `archive/${f.name}`, f.bytes);
  }
}, 60_000);
afterAll(async () => {
  await s3?.stop();
});

describe('AWS conventions', () => {
  it('--no-sign-request reads a bucket with no credentials anywhere, every request unsigned', async () => {
    const proxy = await recordingProxy(s3.endpoint);
    try {
      const out = tmp('lake');
      const r = await runWith(
        [
          'ingest',
          '--no-sign-request',
          '--endpoint-url',
          proxy.url,
          '--source',
          's3://open-data/archive/',
          '--out',
          out,
          '--json',
          '--cache-dir',
          tmp('cache'),
        ],
        { bareEnv: true, env: bareEnv() },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).keys_loaded).toBe(archiveKeys.length);
      expect(proxy.seen.length).toBeGreaterThan(archiveKeys.length); // a listing and every GET
      for (const s of proxy.seen) {
        expect(s.headers.authorization, `${s.method} ${s.path}`).toBeUndefined();
        expect(s.headers['x-amz-security-token']).toBeUndefined();
      }
      // The same run without it looks for credentials and, finding none, is an access error.
      const signed = await runWith(
        [
          'ingest',
          '--endpoint-url',
          proxy.url,
          '--source',
          's3://open-data/archive/',
          '--out',
          tmp('lake'),
          '--cache-dir',
          tmp('cache'),
        ],
        { bareEnv: true, env: bareEnv({ AWS_EC2_METADATA_DISABLED: 'true' }) },
      );
      expect(signed.code, signed.stderr).toBe(5);
      expect(signed.stderr.trim().split('\n').at(-1)).toMatch(/^rtlake: .*credential/i);
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!hasMoto())(
    '--no-sign-request against moto: a private object is refused (exit 5), a public-read one is read',
    async () => {
      const moto = (await startMoto())!;
      const proxy = await recordingProxy(moto.endpoint);
      const ingestAnonymously = () =>
        runWith(
          [
            'ingest',
            '--no-sign-request',
            '--endpoint-url',
            proxy.url,
            '--source',
            's3://open-data/archive/',
            '--out',
            tmp('lake'),
            '--json',
            '--cache-dir',
            tmp('cache'),
          ],
          { bareEnv: true, env: bareEnv() },
        );
      try {
        await moto.createBucket('open-data');
        const fixtures = realFixtures();
        for (const f of fixtures) await moto.put('open-data', `archive/${f.name}`, f.bytes);
        // moto checks object ACLs for anonymous requests, as AWS does.
        const refused = await ingestAnonymously();
        expect(refused.code).toBe(5);
        expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/AccessDenied/);
        for (const f of fixtures)
          await moto.client.send(
            new PutObjectCommand({
              Bucket: 'open-data',
              Key: `archive/${f.name}`,
              Body: f.bytes,
              ACL: 'public-read',
            }),
          );
        const r = await ingestAnonymously();
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout).keys_loaded).toBe(fixtures.length);
        for (const s of proxy.seen) expect(s.headers.authorization).toBeUndefined();
      } finally {
        await proxy.close();
        await moto.stop();
      }
    },
  );

  it('--request-payer requester goes on every request; --endpoint stays an alias of --endpoint-url', async () => {
    const proxy = await recordingProxy(s3.endpoint);
    try {
      const r = await runCli(
        [
          'ingest',
          '--endpoint',
          proxy.url,
          '--request-payer',
          'requester',
          '--source',
          's3://open-data/archive/',
          '--out',
          tmp('lake'),
          '--cache-dir',
          tmp('cache'),
          '--quiet',
        ],
        { env: s3.env },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
      for (const s of proxy.seen) expect(s.headers['x-amz-request-payer'], s.path).toBe('requester');
    } finally {
      await proxy.close();
    }
  });

  it("region: --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's region > us-east-1", async () => {
    const home = tmp('home');
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[profile field]\nregion = eu-west-3\n[default]\n');
    const keys = 'aws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n';
    writeFileSync(join(home, '.aws', 'credentials'), `[field]\n${keys}[default]\n${keys}`);
    const regionOf = async (args: string[], env: NodeJS.ProcessEnv) => {
      const proxy = await recordingProxy(s3.endpoint);
      try {
        const r = await runWith(
          [
            'plan',
            '--source',
            's3://open-data/',
            '--from',
            '2021-09-06',
            '--to',
            '2021-09-06',
            '--count',
            '--endpoint-url',
            proxy.url,
            ...args,
          ],
          {
            bareEnv: true,
            env: {
              ...bareEnv(),
              HOME: home,
              AWS_ACCESS_KEY_ID: 'S3RVER',
              AWS_SECRET_ACCESS_KEY: 'S3RVER',
              ...env,
            },
          },
        );
        expect(r.code, r.stderr).toBe(0);
        const scopes = new Set(
          proxy.seen.map(
            (s) => /Credential=[^/]+\/\d+\/([^/]+)\/s3\//.exec(String(s.headers.authorization))?.[1],
          ),
        );
        expect(scopes.size).toBe(1);
        return [...scopes][0];
      } finally {
        await proxy.close();
      }
    };
    expect(await regionOf(['--profile', 'field'], {})).toBe('eu-west-3');
    expect(await regionOf([], { AWS_PROFILE: 'field' })).toBe('eu-west-3');
    expect(await regionOf(['--profile', 'field'], { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(
      await regionOf(['--profile', 'field'], { AWS_REGION: 'sa-east-1', AWS_DEFAULT_REGION: 'ap-south-1' }),
    ).toBe('sa-east-1');
    expect(
      await regionOf(['--profile', 'field', '--region', 'ca-central-1'], { AWS_REGION: 'sa-east-1' }),
    ).toBe('ca-central-1');
    expect(await regionOf([], {})).toBe('us-east-1');
  });
});

describe('an S3 lake of 30 days', () => {
  let partitionRows: number;
  beforeAll(async () => {
    // One real partition of the demo lake, put in S3 as each day of September 2021.
    const local = join(tmp('demo'), 'lake');
    const demo = await runCli(['demo', '--out', local, '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    const first = (JSON.parse(demo.stdout) as { partitions: { path: string; rows: number }[] })
      .partitions[0]!;
    partitionRows = first.rows;
    const bytes = readFileSync(first.path);
    await s3.createBucket('lake30');
    for (let d = 1; d <= 30; d++)
      await s3.put('lake30', `gtfs/vehicle_positions/year=2021/month=9/day=${d}/data.parquet`, bytes);
  }, 60_000);

  const partitionGets = (seen: Seen[]) =>
    seen
      .filter((s) => s.method === 'GET' && s.path.split('?')[0]!.endsWith('/data.parquet'))
      .map((s) => /day=(\d+)/.exec(s.path)![1]);

  async function queryVia(args: string[]) {
    const proxy = await recordingProxy(s3.endpoint);
    try {
      const r = await runCli(
        [
          'query',
          '--lake',
          's3://lake30/gtfs',
          '--endpoint-url',
          proxy.url,
          '--cache-dir',
          tmp('cache'),
          '--format',
          'csv',
          ...args,
        ],
        { env: s3.env },
      );
      return { ...r, gets: partitionGets(proxy.seen) };
    } finally {
      await proxy.close();
    }
  }

  it('query --date fetches exactly that partition', async () => {
    const r = await queryVia([
      '--date',
      '2021-09-15',
      'SELECT count(*) AS n, min(day) AS d FROM vehicle_positions',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`n,d\n${partitionRows},15\n`);
    expect(r.gets).toEqual(['15']);
  });

  it('--from/--to fetch those days', async () => {
    const r = await queryVia([
      '--from',
      '2021-09-28',
      '--to',
      '2021-09-30',
      'SELECT count(DISTINCT day) AS days FROM vehicle_positions',
    ]);
    expect(r.stdout).toBe('days\n3\n');
    expect(r.gets.sort()).toEqual(['28', '29', '30']);
  });

  it("without a range, the query's year/month/day predicates choose the partitions", async () => {
    const r = await queryVia([
      'SELECT count(*) AS n FROM vehicle_positions WHERE year = 2021 AND month = 9 AND day IN (2, 3)',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`n\n${2 * partitionRows}\n`);
    expect(r.gets.sort()).toEqual(['2', '3']);
  });

  it('catalog duckdb --from/--to copies and views only those days', async () => {
    const proxy = await recordingProxy(s3.endpoint);
    try {
      const dir = tmp('catalog');
      const r = await runCli(
        [
          'catalog',
          'duckdb',
          '--lake',
          's3://lake30/gtfs',
          '--endpoint-url',
          proxy.url,
          '--out',
          join(dir, 'x.duckdb'),
          '--from',
          '2021-09-10',
          '--to',
          '2021-09-11',
          '--json',
        ],
        { env: s3.env },
      );
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { partitions: number; rows: number };
      expect(summary).toMatchObject({ partitions: 2, rows: 2 * partitionRows });
      expect(partitionGets(proxy.seen).sort()).toEqual(['10', '11']);
    } finally {
      await proxy.close();
    }
  });

  it('when it cannot tell, it says how big the full copy is before making it', async () => {
    const r = await queryVia(['SELECT count(*) AS n FROM vehicle_positions']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`n\n${30 * partitionRows}\n`);
    expect(r.gets).toHaveLength(30);
    expect(r.stderr).toMatch(/reading every partition of s3:\/\/lake30\/gtfs: 30 day\(s\), [\d.]+ MB/);
  });
});
