import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedCheckFailures, tableFiles } from '../helpers/lakeChecks.js';
import { json, runCli } from '../helpers/runCli.js';
import { startMoto, startS3rver, type S3TestServer } from '../helpers/s3Server.js';

/**
 * The reading commands over every table of the lake (issue 14): catalog athena/glue/duckdb --feed,
 * export --table, query on an S3 lake. The lake is the demo's (real MBTA VehiclePositions,
 * TripUpdates and Alerts, JSON and protobuf). Expected values are written here by hand (the column
 * lists, the types Athena must declare) or computed by the test's own DuckDB over the lake's files.
 */

/** Rows of a query in the test's own DuckDB (not rtlake's code). */
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

const list = (files: string[]) => `[${files.map((f) => quotedString(f)).join(', ')}]`;

/** The columns Athena and Glue must declare, by hand from the issue's table definitions. */
const expectedColumns = {
  trip_updates: [
    'feed_timestamp timestamp',
    'trip_update_timestamp timestamp',
    'trip_id string',
    'route_id string',
    'direction_id int',
    'start_date string',
    'start_time string',
    'trip_schedule_relationship string',
    'vehicle_id string',
    'vehicle_label string',
    'stop_sequence int',
    'stop_id string',
    'arrival_time timestamp',
    'departure_time timestamp',
    'arrival_delay int',
    'departure_delay int',
    'arrival_uncertainty int',
    'departure_uncertainty int',
    'stop_schedule_relationship string',
    'source_key string',
    'entity_index int',
    'update_index int',
  ],
  alerts: [
    'alert_id string',
    'first_seen timestamp',
    'last_seen timestamp',
    'cause string',
    'effect string',
    'severity_level string',
    'header_text string',
    'description_text string',
    'url string',
    'active_periods array<struct<start:timestamp,end:timestamp>>',
    'informed_entities array<struct<agency_id:string,route_id:string,route_type:int,direction_id:int,trip_id:string,stop_id:string>>',
    'source_key string',
    'entity_index int',
  ],
};

interface AthenaSummary {
  table: string;
  lake_table: string;
  location: string;
  ddl: string;
  columns: { name: string; type: string; ddl_type: string }[];
  parameters: Record<string, string>;
}

let lake: string;
let env: Record<string, string>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-'));
  lake = join(dir, 'lake');
  env = { RTLAKE_CACHE_DIR: join(dir, 'cache') };
  const demo = await runCli(['demo', '--out', lake, '--quiet'], { env });
  expect(demo.code, demo.stderr).toBe(0);
  for (const t of ['vehicle_positions', 'trip_updates', 'alerts'])
    expect(tableFiles(lake, t).length, t).toBeGreaterThanOrEqual(2);
});

describe('catalog athena --feed', () => {
  it('declares each table with its own columns, nested types and partition projection', async () => {
    const r = await runCli(
      [
        'catalog',
        'athena',
        '--lake',
        lake,
        '--location',
        's3://my-bucket/gtfs',
        '--database',
        'gtfs',
        '--feed',
        'all',
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const { tables } = json<{ tables: AthenaSummary[] }>(r);
    expect(tables.map((t) => t.table)).toEqual(['vehicle_positions', 'trip_updates', 'alerts']);
    for (const t of tables) {
      const location = `s3://my-bucket/gtfs/${t.table}/`;
      expect(t.location).toBe(location);
      expect(t.parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.year.type': 'integer',
        'projection.month.range': '1,12',
        'projection.day.range': '1,31',
        'storage.location.template': `${location}year=\${year}/month=\${month}/day=\${day}/`,
      });
      expect(t.ddl).toContain(`CREATE EXTERNAL TABLE IF NOT EXISTS \`gtfs\`.\`${t.table}\` (`);
      expect(t.ddl).toContain('PARTITIONED BY (`year` int, `month` int, `day` int)');
      expect(t.ddl).toContain(`LOCATION '${location}'`);
    }
    const [, tripUpdates, alerts] = tables;
    expect(tripUpdates!.columns.map((c) => `${c.name} ${c.type}`)).toEqual(expectedColumns.trip_updates);
    expect(alerts!.columns.map((c) => `${c.name} ${c.type}`)).toEqual(expectedColumns.alerts);
    // The 2017 alerts came from protobuf, the 2022 ones from JSON: the first year is 2017.
    expect(alerts!.parameters['projection.year.range']).toMatch(/^2017,20\d\d$/);
    // In DDL the struct fields are quoted: `end` is a reserved word of Athena's DDL.
    expect(alerts!.ddl).toMatch(/^ {2}`active_periods` +array<struct<`start`:timestamp,`end`:timestamp>>,$/m);
    expect(alerts!.ddl).toMatch(
      /^ {2}`informed_entities` +array<struct<`agency_id`:string,`route_id`:string,`route_type`:int,`direction_id`:int,`trip_id`:string,`stop_id`:string>>,$/m,
    );
  });

  it('keeps the default (vehicle_positions only), names one table with --table, refuses --table for several', async () => {
    const plain = await runCli(['catalog', 'athena', '--lake', lake, '--quiet'], { env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.match(/CREATE EXTERNAL TABLE/g)).toHaveLength(1);
    expect(plain.stdout.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `vehicle_positions` (')).toBe(true);

    const renamed = await runCli(
      ['catalog', 'athena', '--lake', lake, '--feed', 'trip_updates', '--table', 'predictions', '--quiet'],
      { env },
    );
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `predictions` (')).toBe(true);
    expect(renamed.stdout).toContain("LOCATION 's3://YOUR-BUCKET/YOUR-PREFIX/trip_updates/'");

    const two = await runCli(
      ['catalog', 'athena', '--lake', lake, '--feed', 'trip_updates,alerts', '--table', 'x', '--quiet'],
      { env },
    );
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--table x names one catalog table/);
    const bad = await runCli(['catalog', 'athena', '--lake', lake, '--feed', 'stops', '--quiet'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--feed stops: expected vehicle_positions, trip_updates, alerts or all/);
  });

  it('exits 3 naming the table when the lake has none of it, and leaves absent tables out of all', async () => {
    const only = join(mkdtempSync(join(tmpdir(), 'rtlake-reads-vp-')), 'lake');
    const ingest = await runCli(['ingest', '--source', 'src/demo/sample', '--out', only, '--quiet'], { env });
    expect(ingest.code, ingest.stderr).toBe(0);
    const missing = await runCli(['catalog', 'athena', '--lake', only, '--feed', 'alerts'], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no partitions under alerts\//);
    const all = await runCli(['catalog', 'athena', '--lake', only, '--feed', 'all'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.match(/CREATE EXTERNAL TABLE/g)).toHaveLength(1);
    expect(all.stderr).toMatch(/holds no trip_updates or alerts yet: left out/);
  });
});

describe('catalog athena over nested columns Athena cannot declare', () => {
  it('refuses a nested column whose type differs between files, or holds an unsigned integer (exit 6)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-nested-'));
    const write = async (day: number, select: string) => {
      const folder = join(dir, 'alerts', 'year=2022', 'month=5', `day=${day}`);
      mkdirSync(folder, { recursive: true });
      await sql(`COPY (${select}) TO ${quotedString(join(folder, 'data.parquet'))}`);
    };
    await write(4, "SELECT 'a1' AS alert_id, [{'route_id': 'Red', 'route_type': 1}] AS informed_entities");
    await write(5, "SELECT 'a2' AS alert_id, [{'route_id': 'Red', 'route_type': '1'}] AS informed_entities");
    const differs = await runCli(['catalog', 'athena', '--lake', dir, '--feed', 'alerts', '--quiet'], {
      env,
    });
    expect(differs.code).toBe(6);
    expect(differs.stderr).toMatch(/column informed_entities is of a type that differs between files/);

    await write(
      5,
      "SELECT 'a2' AS alert_id, [{'route_id': 'Red', 'route_type': 1::UINTEGER}] AS informed_entities",
    );
    const unsigned = await runCli(['catalog', 'athena', '--lake', dir, '--feed', 'alerts', '--quiet'], {
      env,
    });
    expect(unsigned.code).toBe(6);
    expect(unsigned.stderr).toMatch(/column informed_entities is an unsigned integer/);
  });
});

describe('catalog duckdb --feed', () => {
  it('writes a view per table, each with the rows of its Parquet files, and keeps the others on a later run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rtlake-reads-duckdb-')), 'lake.duckdb');
    const r = await runCli(
      ['catalog', 'duckdb', '--lake', lake, '--out', out, '--feed', 'all', '--json', '--quiet'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ views: string[]; tables: Record<string, { rows: number; partitions: number }> }>(r);
    expect(s.views).toEqual(['vehicle_positions', 'trip_updates', 'alerts']);
    for (const t of s.views) {
      const files = tableFiles(lake, t);
      const [expected] = await sql(`SELECT count(*) AS n FROM read_parquet(${list(files)})`);
      const [viewed] = await sql(
        `ATTACH ${quotedString(out)} AS c (READ_ONLY); SELECT count(*) AS n, count(DISTINCT (year, month, day)) AS days FROM c.${t}`,
      );
      expect([t, Number(viewed!.n), Number(viewed!.days)]).toEqual([t, Number(expected!.n), files.length]);
      expect(s.tables[t]).toEqual({
        parquet_glob: expect.any(String),
        rows: Number(expected!.n),
        partitions: files.length,
      });
    }
    // The nested columns read as LIST of STRUCT through the view.
    const [nested] = await sql(
      `ATTACH ${quotedString(out)} AS c (READ_ONLY); SELECT count(*) AS n FROM c.alerts WHERE informed_entities[1].route_id IS NOT NULL AND len(active_periods) >= 0`,
    );
    expect(Number(nested!.n)).toBeGreaterThan(0);

    const again = await runCli(
      ['catalog', 'duckdb', '--lake', lake, '--out', out, '--feed', 'alerts', '--json', '--quiet'],
      { env },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(json<{ views: string[] }>(again).views).toEqual(['alerts']);
    const views = await sql(
      `ATTACH ${quotedString(out)} AS c (READ_ONLY); SELECT view_name FROM duckdb_views() WHERE database_name = 'c' ORDER BY 1`,
    );
    expect(views.map((v) => v.view_name)).toEqual(['alerts', 'trip_updates', 'vehicle_positions']);
  });
});

describe('export --table', () => {
  it('exports trip_updates with --where and --columns on its own columns, in its own order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-export-'));
    const where = "trip_id = 'ADDED-1873' AND stop_sequence BETWEEN 540 AND 560";
    const r = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--table',
        'trip_updates',
        '--from',
        '2017-12-18',
        '--to',
        '2017-12-18',
        '--to',
        join(dir, 'added.csv'),
        '--where',
        where,
        '--columns',
        'trip_id,stop_sequence,stop_id,arrival_time',
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ table: string; rows: number }>(r)).toMatchObject({ table: 'trip_updates', rows: 3 });
    // Trip ADDED-1873 of MBTA's 2017 protobuf TripUpdates (test/fixtures/mbta-trip-updates-alerts).
    expect(readFileSync(join(dir, 'added.csv'), 'utf8')).toBe(
      [
        'trip_id,stop_sequence,stop_id,arrival_time',
        'ADDED-1873,540,70167,2017-12-18 18:47:11+00',
        'ADDED-1873,550,70165,2017-12-18 18:48:52+00',
        'ADDED-1873,560,70163,2017-12-18 18:50:41+00',
        '',
      ].join('\n'),
    );

    // A whole day, to a folder: named after the table; every row of that partition, nothing else.
    const whole = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--table',
        'trip_updates',
        '--date',
        '2022-05-08',
        '--to',
        dir,
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(whole.code, whole.stderr).toBe(0);
    const file = join(dir, 'trip_updates_2022-05-08.parquet');
    expect(json<{ destination: string }>(whole).destination).toBe(file);
    const day = join(lake, 'trip_updates', 'year=2022', 'month=5', 'day=8', 'data.parquet');
    const [a, b] = [day, file].map((f) => `read_parquet(${quotedString(f)}, hive_partitioning = false)`);
    const [diff] = await sql(
      `SELECT (SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) +
              (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})) AS differing,
              (SELECT count(*) FROM ${b}) AS n`,
    );
    expect(Number(diff!.differing)).toBe(0);
    expect(Number(diff!.n)).toBeGreaterThan(100);
  });

  it('exports alerts with a --where on a nested column; a column of another table is an SQL error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-export-alerts-'));
    const where = "effect = 'DETOUR' AND len(informed_entities) > 3";
    const r = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--table',
        'alerts',
        '--date',
        '2022-05-04',
        '--to',
        join(dir, 'a.jsonl'),
        '--where',
        where,
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const day = join(lake, 'alerts', 'year=2022', 'month=5', 'day=4', 'data.parquet');
    const expected = await sql(
      `SELECT alert_id FROM read_parquet(${quotedString(day)}) WHERE ${where} ORDER BY alert_id, first_seen`,
    );
    expect(expected.length).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.alert_id)).toEqual(expected.map((e) => e.alert_id));
    expect(Object.keys(lines[0]!)).toEqual(expectedColumns.alerts.map((c) => c.split(' ')[0]));
    expect(lines[0]!.informed_entities.length).toBeGreaterThan(3);

    const wrong = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--table',
        'alerts',
        '--date',
        '2022-05-04',
        '--to',
        join(dir, 'b.csv'),
        '--where',
        'latitude > 0',
        '--quiet',
      ],
      { env },
    );
    expect(wrong.code).toBe(8);
    expect(wrong.stderr).toMatch(/--where failed/);
    const unknown = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--table',
        'stops',
        '--date',
        '2022-05-04',
        '--to',
        join(dir, 'c.csv'),
        '--quiet',
      ],
      { env },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--table stops: expected vehicle_positions, trip_updates, alerts/);
  });
});

describe('query on an S3 lake (s3rver)', () => {
  let server: S3TestServer;
  let s3env: Record<string, string>;
  let cache: string;
  beforeAll(async () => {
    server = await startS3rver();
    cache = mkdtempSync(join(tmpdir(), 'rtlake-reads-s3-cache-'));
    s3env = { ...server.env, RTLAKE_CACHE_DIR: cache };
    await server.createBucket('lake');
    const demo = await runCli(['demo', '--out', 's3://lake/gtfs', '--quiet'], { env: s3env });
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The table folders of the lake copies in the cache. */
  const copiedTables = () => {
    const root = join(cache, 'lake-copies');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((id) => readdirSync(join(root, id)).filter((f) => !f.startsWith('.')));
  };

  it('copies only the table the SQL names and counts its rows: select count(*) from trip_updates', async () => {
    const r = await runCli(
      ['query', '--lake', 's3://lake/gtfs', '--format', 'csv', 'select count(*) AS n from trip_updates'],
      { env: s3env },
    );
    expect(r.code, r.stderr).toBe(0);
    const [expected] = await sql(
      `SELECT count(*) AS n FROM read_parquet(${list(tableFiles(lake, 'trip_updates'))})`,
    );
    expect(r.stdout).toBe(`n\n${expected!.n}\n`);
    expect(copiedTables()).toEqual(['trip_updates']);
  });

  it("reads an alerts day by its year/month/day filter, and opens every table when the SQL names none (the workbench's case)", async () => {
    const r = await runCli(
      [
        'query',
        '--lake',
        's3://lake/gtfs',
        '--format',
        'csv',
        'SELECT count(*) AS n FROM alerts WHERE year = 2017 AND month = 12 AND day = 23',
      ],
      { env: s3env },
    );
    expect(r.code, r.stderr).toBe(0);
    const day = join(lake, 'alerts', 'year=2017', 'month=12', 'day=23', 'data.parquet');
    const [expected] = await sql(`SELECT count(*) AS n FROM ${quotedString(day)}`);
    expect(r.stdout).toBe(`n\n${expected!.n}\n`);
    const copied = readdirSync(join(cache, 'lake-copies'))
      .flatMap((id) =>
        existsSync(join(cache, 'lake-copies', id, 'alerts'))
          ? [join(cache, 'lake-copies', id, 'alerts')]
          : [],
      )
      .flatMap((d) => readdirSync(d, { recursive: true }).filter((f) => String(f).endsWith('.parquet')));
    expect(copied).toEqual(['year=2017/month=12/day=23/data.parquet']);

    const names = await runCli(
      [
        'query',
        '--lake',
        's3://lake/gtfs',
        '--format',
        'csv',
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
      ],
      { env: s3env },
    );
    expect(names.code, names.stderr).toBe(0);
    expect(names.stdout).toBe('table_name\nalerts\ntrip_updates\nvehicle_positions\n');
    expect(copiedTables().sort()).toEqual(['alerts', 'trip_updates', 'vehicle_positions']);
  });

  it('catalog duckdb --feed all mirrors every table; a later run for one table keeps the copies of the others', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rtlake-reads-s3-duckdb-')), 'lake.duckdb');
    const all = await runCli(
      ['catalog', 'duckdb', '--lake', 's3://lake/gtfs', '--out', out, '--feed', 'all', '--json', '--quiet'],
      { env: s3env },
    );
    expect(all.code, all.stderr).toBe(0);
    const partitions = ['vehicle_positions', 'trip_updates', 'alerts'].map((t) => tableFiles(lake, t).length);
    expect(json<{ copy: { downloaded: number } }>(all).copy.downloaded).toBe(
      partitions.reduce((a, b) => a + b),
    );
    const one = await runCli(
      [
        'catalog',
        'duckdb',
        '--lake',
        's3://lake/gtfs',
        '--out',
        out,
        '--feed',
        'alerts',
        '--json',
        '--quiet',
      ],
      { env: s3env },
    );
    expect(one.code, one.stderr).toBe(0);
    expect(json<{ copy: object }>(one).copy).toEqual({
      downloaded: 0,
      reused: partitions[2],
      removed: 0,
      bytes_downloaded: 0,
    });
    // The vehicle_positions and trip_updates views of the first run still read their (kept) copies.
    for (const t of ['vehicle_positions', 'trip_updates']) {
      const [expected] = await sql(`SELECT count(*) AS n FROM read_parquet(${list(tableFiles(lake, t))})`);
      const [viewed] = await sql(
        `ATTACH ${quotedString(out)} AS c (READ_ONLY); SELECT count(*) AS n FROM c.${t}`,
      );
      expect([t, Number(viewed!.n)]).toEqual([t, Number(expected!.n)]);
    }
  });

  it('export --table alerts from the S3 lake to an S3 prefix, the one day asked for', async () => {
    const r = await runCli(
      [
        'export',
        '--lake',
        's3://lake/gtfs',
        '--table',
        'alerts',
        '--date',
        '2022-05-04',
        '--to',
        's3://lake/exports/',
        '--format',
        'csv',
        '--json',
        '--quiet',
      ],
      { env: s3env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ destination: string; rows: number; partitions_read: number }>(r);
    expect(s.destination).toBe('s3://lake/exports/alerts_2022-05-04.csv');
    expect(s.partitions_read).toBe(1);
    const day = join(lake, 'alerts', 'year=2022', 'month=5', 'day=4', 'data.parquet');
    const [expected] = await sql(`SELECT count(*) AS n FROM ${quotedString(day)}`);
    expect(s.rows).toBe(Number(expected!.n));
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const body = await (
      await server.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'exports/alerts_2022-05-04.csv' }))
    ).Body!.transformToString();
    expect(body.split('\n')[0]).toBe(expectedColumns.alerts.map((c) => c.split(' ')[0]).join(','));
    // Texts hold line breaks (quoted): count the records with a CSV reader, not lines.
    const file = join(mkdtempSync(join(tmpdir(), 'rtlake-reads-s3-export-')), 'a.csv');
    writeFileSync(file, body);
    const [read] = await sql(`SELECT count(*) AS n FROM read_csv(${quotedString(file)}, header = true)`);
    expect(Number(read!.n)).toBe(s.rows);
  });

  it('--date opens each table that has the day', async () => {
    const r = await runCli(
      [
        'query',
        '--lake',
        's3://lake/gtfs',
        '--date',
        '2022-05-08',
        '--format',
        'csv',
        'SELECT count(DISTINCT day) AS days FROM trip_updates',
      ],
      { env: s3env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('days\n1\n');
  });
});

describe('catalog glue --feed all (moto_server: S3 and Glue)', () => {
  let server: S3TestServer | null = null;
  let glue: GlueClient;
  let motoEnv: Record<string, string>;
  beforeAll(async () => {
    server = await startMoto();
    if (!server) return;
    motoEnv = { ...server.env, RTLAKE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'rtlake-reads-glue-')) };
    await server.createBucket('lake');
    const demo = await runCli(['demo', '--out', 's3://lake/gtfs', '--quiet'], { env: motoEnv });
    expect(demo.code, demo.stderr).toBe(0);
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

  it('creates one Glue table per lake table with its columns, location and projection; a re-run changes nothing', async (ctx) => {
    if (!server) return ctx.skip('moto_server is not installed on this machine');
    const args = [
      'catalog',
      'glue',
      '--lake',
      's3://lake/gtfs',
      '--database',
      'gtfs',
      '--feed',
      'all',
      '--quiet',
    ];
    const r = await runCli(args, { env: motoEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/created Glue table gtfs\.trip_updates/);
    expect(r.stdout).toMatch(/created Glue table gtfs\.alerts/);
    for (const name of ['trip_updates', 'alerts'] as const) {
      const table = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: name }))).Table!;
      expect(table.StorageDescriptor?.Columns?.map((c) => `${c.Name} ${c.Type}`)).toEqual(
        expectedColumns[name],
      );
      expect(table.StorageDescriptor?.Location).toBe(`s3://lake/gtfs/${name}/`);
      expect(table.PartitionKeys?.map((k) => `${k.Name} ${k.Type}`)).toEqual([
        'year int',
        'month int',
        'day int',
      ]);
      expect(table.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'storage.location.template': `s3://lake/gtfs/${name}/year=\${year}/month=\${month}/day=\${day}/`,
      });
    }
    const vp = (await glue.send(new GetTableCommand({ DatabaseName: 'gtfs', Name: 'vehicle_positions' })))
      .Table!;
    expect(vp.StorageDescriptor?.Location).toBe('s3://lake/gtfs/vehicle_positions/');

    const again = await runCli([...args, '--json'], { env: motoEnv });
    expect(again.code, again.stderr).toBe(0);
    expect(
      json<{ tables: { table: string; status: string }[] }>(again).tables.map(
        (t) => `${t.table} ${t.status}`,
      ),
    ).toEqual(['vehicle_positions unchanged', 'trip_updates unchanged', 'alerts unchanged']);
  });
});

describe('sql/checks/trip_updates and sql/checks/alerts', () => {
  it('pass on the lake ingest wrote', async () => {
    expect(await feedCheckFailures('trip_updates', tableFiles(lake, 'trip_updates'))).toEqual({});
    expect(await feedCheckFailures('alerts', tableFiles(lake, 'alerts'))).toEqual({});
  });

  /** Writes one partition of `table` for `day` from a SELECT of hand-written rows. */
  async function partition(dir: string, table: string, day: string, select: string): Promise<string> {
    const [y, m, d] = day.split('-').map(Number);
    const folder = join(dir, table, `year=${y}`, `month=${m}`, `day=${d}`);
    mkdirSync(folder, { recursive: true });
    await sql(`COPY (${select}) TO ${quotedString(join(folder, 'data.parquet'))}`);
    return join(folder, 'data.parquet');
  }

  it('find a prediction kept twice, a lineage twice, and predictions outside their day or without a trip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-checks-tu-'));
    const row = (feed: string, trip: string | null, seq: number, arrival: string, key: string, u: number) =>
      `SELECT TIMESTAMPTZ '${feed}' AS feed_timestamp, ${trip === null ? 'NULL::VARCHAR' : `'${trip}'`} AS trip_id, ${seq} AS stop_sequence, '70061' AS stop_id, TIMESTAMPTZ '${arrival}' AS arrival_time, '${key}' AS source_key, 0 AS entity_index, ${u} AS update_index`;
    const a = await partition(
      dir,
      'trip_updates',
      '2022-05-08',
      [
        row('2022-05-08 10:00:00+00', 't1', 1, '2022-05-08 10:05:00+00', 'k1', 0),
        row('2022-05-08 10:00:10+00', 't1', 1, '2022-05-08 10:05:00+00', 'k2', 0), // the same prediction again
        row('2022-05-08 10:00:10+00', 't1', 1, '2022-05-08 10:06:00+00', 'k2', 1), // changed: fine
        row('2022-05-09 00:00:01+00', 't2', 3, '2022-05-09 00:10:00+00', 'k3', 0), // published on the 9th
        row('2022-05-08 11:00:00+00', null, 4, '2022-05-08 11:10:00+00', 'k4', 0), // no trip_id
      ].join(' UNION ALL '),
    );
    const b = await partition(
      dir,
      'trip_updates',
      '2022-05-09',
      row('2022-05-09 01:00:00+00', 't9', 1, '2022-05-09 01:05:00+00', 'k1', 0),
    ); // k1#0.0 again
    const failures = await feedCheckFailures('trip_updates', [a, b]);
    expect(Object.keys(failures).sort()).toEqual([
      'duplicate_lineage.sql',
      'duplicate_predictions.sql',
      'predictions_outside_their_partition.sql',
    ]);
    expect(failures['duplicate_predictions.sql']!.map((r) => [r.trip_id, r.copies])).toEqual([['t1', '2']]);
    expect(failures['duplicate_lineage.sql']).toEqual([
      { source_key: 'k1', entity_index: 0, update_index: 0, copies: '2' },
    ]);
    expect(failures['predictions_outside_their_partition.sql']!.map((r) => r.source_key).sort()).toEqual([
      'k3',
      'k4',
    ]);
    // A prediction equal on two days is one row on each day: not a duplicate.
    const c = await partition(
      dir,
      'ok',
      '2022-05-08',
      row('2022-05-08 23:59:59+00', 't5', 1, '2022-05-09 00:05:00+00', 'k5', 0),
    );
    const d = await partition(
      dir,
      'ok',
      '2022-05-09',
      row('2022-05-09 00:00:05+00', 't5', 1, '2022-05-09 00:05:00+00', 'k6', 0),
    );
    expect(await feedCheckFailures('trip_updates', [c, d])).toEqual({});
  });

  it('find an alert version kept twice, a first sighting twice, and versions outside their day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-reads-checks-alerts-'));
    const row = (id: string | null, first: string, last: string, header: string, key: string) =>
      `SELECT ${id === null ? 'NULL::VARCHAR' : `'${id}'`} AS alert_id, TIMESTAMPTZ '${first}' AS first_seen, TIMESTAMPTZ '${last}' AS last_seen, '${header}' AS header_text, [{'start': TIMESTAMPTZ '2022-05-04 00:00:00+00', 'end': NULL::TIMESTAMPTZ}] AS active_periods, '${key}' AS source_key, 0 AS entity_index`;
    const a = await partition(
      dir,
      'alerts',
      '2022-05-04',
      [
        row('a1', '2022-05-04 08:00:00+00', '2022-05-04 09:00:00+00', 'Shuttle buses', 'k1'),
        row('a1', '2022-05-04 10:00:00+00', '2022-05-04 11:00:00+00', 'Shuttle buses', 'k2'), // same version twice
        row('a1', '2022-05-04 09:00:10+00', '2022-05-04 09:30:00+00', 'Shuttles replace trains', 'k3'), // new text: fine
        row('a2', '2022-05-04 23:00:00+00', '2022-05-05 00:00:05+00', 'Delays', 'k4'), // last seen the next day
        row('a3', '2022-05-04 12:00:00+00', '2022-05-04 11:00:00+00', 'Elevator', 'k5'), // seen last before first
      ].join(' UNION ALL '),
    );
    const b = await partition(
      dir,
      'alerts',
      '2022-05-05',
      row('a9', '2022-05-05 01:00:00+00', '2022-05-05 01:00:00+00', 'x', 'k1'),
    ); // k1#0 again
    const failures = await feedCheckFailures('alerts', [a, b]);
    expect(Object.keys(failures).sort()).toEqual([
      'duplicate_lineage.sql',
      'duplicate_versions.sql',
      'versions_outside_their_partition.sql',
    ]);
    expect(failures['duplicate_versions.sql']!.map((r) => [r.alert_id, r.header_text, r.copies])).toEqual([
      ['a1', 'Shuttle buses', '2'],
    ]);
    expect(failures['versions_outside_their_partition.sql']!.map((r) => r.source_key).sort()).toEqual([
      'k4',
      'k5',
    ]);
  });
});
