import { GetTableCommand, GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/runCli.js';
import { startMoto, type S3TestServer } from '../helpers/s3Server.js';

/** Rows of a query in the test's own DuckDB. */
async function sql(query: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(query)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface GlueSummary {
  status: 'created' | 'updated' | 'unchanged';
  database_status: 'created' | 'existing';
  changes: string[];
  location: string;
  columns: { name: string; type: string }[];
}

describe('rtlake catalog glue / athena / duckdb on an S3 lake (moto_server: S3 and Glue)', () => {
  let server: S3TestServer | null = null;
  let glue: GlueClient;
  let env: Record<string, string>;
  let cache: string;
  /** Rows in the lake, as ingest reported them per partition. */
  let lakeRows = 0;

  beforeAll(async () => {
    server = await startMoto();
    if (!server) return;
    cache = mkdtempSync(join(tmpdir(), 'rtlake-glue-cache-'));
    env = { ...server.env, RTLAKE_CACHE_DIR: cache };
    await server.createBucket('lake');
    const demo = await runCli(['demo', '--out', 's3://lake/gtfs', '--json'], { env });
    expect(demo.code, demo.stderr).toBe(0);
    lakeRows = json<{ partitions: { rows: number }[] }>(demo).partitions.reduce((n, p) => n + p.rows, 0);
    glue = new GlueClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });
  afterAll(async () => {
    glue?.destroy();
    await server?.stop();
  });

  it('creates the table through the Glue API, and a second run changes nothing', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine (pip install "moto[server]")');
    // The Glue endpoint given explicitly, as a user of LocalStack or moto would.
    const args = [
      'catalog',
      'glue',
      '--lake',
      's3://lake/gtfs',
      '--database',
      'gtfs',
      '--table',
      'vehicle_positions',
      '--json',
      '--quiet',
    ];
    const first = await runCli(args, { env: { ...env, AWS_ENDPOINT_URL_GLUE: server.endpoint } });
    expect(first.code, first.stderr).toBe(0);
    const s1 = json<GlueSummary>(first);
    expect(s1).toMatchObject({
      status: 'created',
      database_status: 'created',
      location: 's3://lake/gtfs/vehicle_positions/',
    });

    const table = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: 'vehicle_positions' })))
      .Table!;
    const stored = (table.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name} ${c.Type}`);
    // The columns Glue holds are the Parquet file's, read here from the footer of one partition.
    const local = join(cache, 'day.parquet');
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const object = await server.client.send(
      new GetObjectCommand({
        Bucket: 'lake',
        Key: 'gtfs/vehicle_positions/year=2022/month=1/day=1/data.parquet',
      }),
    );
    const { writeFileSync } = await import('node:fs');
    writeFileSync(local, Buffer.from(await object.Body!.transformToByteArray()));
    const names = (
      await sql(
        `SELECT name FROM parquet_schema(${quotedString(local)}) WHERE num_children IS NULL ORDER BY column_id`,
      )
    ).map((r) => r.name);
    expect(stored.map((c) => c.split(' ')[0])).toEqual(names);
    expect(stored).toContain('timestamp timestamp');
    expect(stored).toContain('feed_timestamp timestamp');
    expect(stored).toContain('latitude double');
    expect(stored).toContain('direction_id int');
    expect(stored).toContain('vehicle_id string');
    expect(table.PartitionKeys?.map((k) => `${k.Name} ${k.Type}`)).toEqual([
      'year int',
      'month int',
      'day int',
    ]);
    expect(table.TableType).toBe('EXTERNAL_TABLE');
    expect(table.StorageDescriptor?.Location).toBe('s3://lake/gtfs/vehicle_positions/');
    expect(table.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(table.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.month.range': '1,12',
      'projection.day.range': '1,31',
      'storage.location.template': 's3://lake/gtfs/vehicle_positions/year=${year}/month=${month}/day=${day}/',
    });

    // Second run: the Glue endpoint falls back to the S3 endpoint (one moto serves both).
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(json<GlueSummary>(second)).toMatchObject({
      status: 'unchanged',
      database_status: 'existing',
      changes: [],
    });
    const after = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: 'vehicle_positions' })))
      .Table!;
    expect(after.UpdateTime ?? after.CreateTime).toEqual(table.UpdateTime ?? table.CreateTime);
    expect(after.VersionId).toEqual(table.VersionId);
  });

  it('updates a table that drifted, keeping parameters others added', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    await runCli(
      ['catalog', 'glue', '--lake', 's3://lake/gtfs', '--database', 'gtfs', '--table', 'drifted', '--quiet'],
      { env },
    );
    const table = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: 'drifted' }))).Table!;
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: 'gtfs',
        TableInput: {
          Name: 'drifted',
          TableType: 'EXTERNAL_TABLE',
          Parameters: { ...table.Parameters, 'projection.enabled': 'false', owner_team: 'analytics' },
          PartitionKeys: table.PartitionKeys,
          StorageDescriptor: {
            ...table.StorageDescriptor,
            Columns: table.StorageDescriptor!.Columns!.slice(0, 5),
          },
        },
      }),
    );
    const r = await runCli(
      [
        'catalog',
        'glue',
        '--lake',
        's3://lake/gtfs',
        '--database',
        'gtfs',
        '--table',
        'drifted',
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<GlueSummary>(r);
    expect(s.status).toBe('updated');
    expect(s.changes).toEqual(['columns', 'parameter projection.enabled']);
    const fixed = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: 'drifted' }))).Table!;
    expect(fixed.StorageDescriptor?.Columns?.length).toBe(19);
    expect(fixed.Parameters).toMatchObject({ 'projection.enabled': 'true', owner_team: 'analytics' });
  });

  it('refuses a local lake without --location, and reports an unreachable Glue endpoint as an access error', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    const local = await runCli(['catalog', 'glue', '--lake', cache, '--database', 'gtfs', '--quiet'], {
      env,
    });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/is a local folder, and Glue tables point at S3/);
    const down = await runCli(
      [
        'catalog',
        'glue',
        '--lake',
        's3://lake/gtfs',
        '--database',
        'gtfs',
        '--glue-endpoint',
        'http://127.0.0.1:9',
        '--quiet',
      ],
      { env },
    );
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/cannot reach the Glue endpoint/);
  });

  it('prints Athena DDL for the S3 lake, reading only the oldest and newest partitions', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    const r = await runCli(['catalog', 'athena', '--lake', 's3://lake/gtfs', '--json', '--quiet'], { env });
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ ddl: string; location_is_placeholder: boolean; schema_read_from: string[] }>(r);
    expect(s.location_is_placeholder).toBe(false);
    expect(s.ddl).toContain("LOCATION 's3://lake/gtfs/vehicle_positions/'");
    expect(s.schema_read_from).toEqual([
      's3://lake/gtfs/vehicle_positions/year=2019/month=12/day=11/data.parquet',
      's3://lake/gtfs/vehicle_positions/year=2022/month=7/day=5/data.parquet',
    ]);
  });

  it("writes a DuckDB catalog over a synced local copy of the S3 lake, with the lake's row count", async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    const out = join(mkdtempSync(join(tmpdir(), 'rtlake-s3-duckdb-')), 'lake.duckdb');
    const r = await runCli(['catalog', 'duckdb', '--lake', 's3://lake/gtfs', '--out', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reads a local copy of s3:\/\/lake\/gtfs in .*lake-parquet/);
    const [viewed] = await sql(
      `ATTACH ${quotedString(out)} AS c (READ_ONLY); SELECT count(*) AS n FROM c.vehicle_positions`,
    );
    expect(Number(viewed!.n)).toBe(lakeRows);
    expect(lakeRows).toBeGreaterThan(3000);
    const again = await runCli(
      ['catalog', 'duckdb', '--lake', 's3://lake/gtfs', '--out', out, '--json', '--quiet'],
      { env },
    );
    expect(json<{ copy: { downloaded: number; reused: number } }>(again).copy).toMatchObject({
      downloaded: 0,
      reused: 5,
    });
  });
});
