import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/runCli.js';
import { startS3rver, type S3TestServer } from '../helpers/s3Server.js';

/** Runs SQL in the test's own in-memory DuckDB (UTC) and returns the rows. */
async function sql(query: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    return (await connection.runAndReadAll(query)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const q = quotedString;
let dir: string;
let lake: string;
let env: Record<string, string>;
const dayFile = (y: number, m: number, d: number, root = lake) =>
  join(root, 'vehicle_positions', `year=${y}`, `month=${m}`, `day=${d}`, 'data.parquet');

/** The lake file's own column types, so a CSV is read back exactly as the lake types it. */
async function lakeColumns(file: string): Promise<string> {
  const cols = await sql(
    `SELECT name, duckdb_type FROM parquet_schema(${q(file)}) WHERE num_children IS NULL ORDER BY column_id`,
  );
  return `{${cols.map((c) => `${q(String(c.name))}: ${q(String(c.duckdb_type))}`).join(', ')}}`;
}

/** Rows in a but not b, and in b but not a (as multisets), and both counts. */
async function diff(
  a: string,
  b: string,
): Promise<{ onlyA: number; onlyB: number; countA: number; countB: number }> {
  const [r] = await sql(`
    SELECT
      (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) AS only_a,
      (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS only_b,
      (SELECT count(*) FROM ${a}) AS count_a,
      (SELECT count(*) FROM ${b}) AS count_b`);
  return {
    onlyA: Number(r!.only_a),
    onlyB: Number(r!.only_b),
    countA: Number(r!.count_a),
    countB: Number(r!.count_b),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtlake-export-'));
  lake = join(dir, 'lake');
  env = { RTLAKE_CACHE_DIR: join(dir, 'cache') };
  const demo = await runCli(['demo', '--out', lake, '--quiet'], { env });
  expect(demo.code, demo.stderr).toBe(0);
});

describe('rtlake export (local lake)', () => {
  it('exports one day to CSV and to Parquet, and both round-trip row for row', async () => {
    const source = `read_parquet(${q(dayFile(2022, 1, 1))}, hive_partitioning = false)`;
    const types = await lakeColumns(dayFile(2022, 1, 1));

    const csv = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--date',
        '2022-01-01',
        '--format',
        'csv',
        '--to',
        join(dir, 'out'),
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(csv.code, csv.stderr).toBe(0);
    const c = json<{ destination: string; rows: number; days: string[]; format: string }>(csv);
    expect(c.destination).toBe(join(dir, 'out', 'vehicle_positions_2022-01-01.csv'));
    expect(c.days).toEqual(['2022-01-01']);
    const fromCsv = `read_csv(${q(c.destination)}, header = true, auto_detect = false, columns = ${types})`;
    const csvDiff = await diff(source, fromCsv);
    expect(csvDiff).toEqual({ onlyA: 0, onlyB: 0, countA: c.rows, countB: c.rows });
    expect(c.rows).toBeGreaterThan(1000);

    const pq = await runCli(
      [
        'export',
        '--lake',
        lake,
        '--date',
        '2022-01-01',
        '--format',
        'parquet',
        '--to',
        join(dir, 'out'),
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(pq.code, pq.stderr).toBe(0);
    const p = json<{ destination: string; rows: number }>(pq);
    expect(p.destination).toBe(join(dir, 'out', 'vehicle_positions_2022-01-01.parquet'));
    expect(await diff(source, `read_parquet(${q(p.destination)})`)).toEqual({
      onlyA: 0,
      onlyB: 0,
      countA: p.rows,
      countB: p.rows,
    });
    // The export's Parquet keeps the lake's types: INT64 microsecond UTC timestamps.
    const ts = await sql(
      `SELECT type, converted_type, logical_type FROM parquet_schema(${q(p.destination)}) WHERE name = 'timestamp'`,
    );
    expect(ts[0]).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' });
    expect(String(ts[0]!.logical_type)).toContain('isAdjustedToUTC=1');
  });

  it('exports JSON lines to a named file, row for row', async () => {
    const file = join(dir, 'named', 'red-line.jsonl');
    const r = await runCli(
      ['export', '--lake', lake, '--date', '2022-07-05', '--to', file, '--json', '--quiet'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ destination: string; format: string; rows: number }>(r);
    expect(s).toMatchObject({ destination: file, format: 'jsonl' });
    const types = await lakeColumns(dayFile(2022, 7, 5));
    const back = `read_json(${q(file)}, format = 'newline_delimited', columns = ${types})`;
    expect(await diff(`read_parquet(${q(dayFile(2022, 7, 5))}, hive_partitioning = false)`, back)).toEqual({
      onlyA: 0,
      onlyB: 0,
      countA: s.rows,
      countB: s.rows,
    });
  });

  it('applies --where and --columns, and reads only the day partitions in the range', async () => {
    // A copy of the lake whose 2022-07-05 file is garbage: an export of other days must not open it.
    const copy = join(dir, 'lake-copy');
    cpSync(lake, copy, { recursive: true });
    writeFileSync(dayFile(2022, 7, 5, copy), 'not parquet');
    const out = join(dir, 'ranged');
    const r = await runCli(
      [
        'export',
        '--lake',
        copy,
        '--from',
        '2021-12-31',
        '--to',
        '2022-01-01',
        '--to',
        out,
        '--where',
        "route_id = 'Red' AND bearing > 90",
        '--columns',
        'vehicle_id, timestamp,latitude',
        '--format',
        'csv',
        '--json',
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ destination: string; rows: number; days: string[]; columns: string[] }>(r);
    expect(s.days).toEqual(['2021-12-31', '2022-01-01']);
    expect(s.columns).toEqual(['vehicle_id', 'timestamp', 'latitude']);
    expect(s.destination).toBe(join(out, 'vehicle_positions_2021-12-31_2022-01-01.csv'));
    const [expected] = await sql(
      `SELECT count(*) AS n FROM read_parquet([${q(dayFile(2021, 12, 31))}, ${q(dayFile(2022, 1, 1))}]) WHERE route_id = 'Red' AND bearing > 90`,
    );
    expect(s.rows).toBe(Number(expected!.n));
    expect(s.rows).toBeGreaterThan(0);
    const header = (await sql(`SELECT * FROM read_csv(${q(s.destination)}, header = true) LIMIT 1`))[0]!;
    expect(Object.keys(header)).toEqual(['vehicle_id', 'timestamp', 'latitude']);

    const broken = await runCli(['export', '--lake', copy, '--date', '2022-07-05', '--to', out, '--quiet'], {
      env,
    });
    expect(broken.code).not.toBe(0); // the garbage day is read when it is asked for
  });

  it('runs --where as one expression in a session that cannot touch other files', async () => {
    const out = join(dir, 'where');
    const run = (where: string) =>
      runCli(['export', '--lake', lake, '--date', '2022-01-01', '--to', out, '--where', where, '--quiet'], {
        env,
      });
    const union = await run('true) UNION ALL SELECT * FROM vehicle_positions WHERE (true');
    expect(union.code).toBe(2);
    expect(union.stderr).toMatch(/--where must be one SQL expression/);
    const two = await run(`true; COPY (SELECT 1) TO ${q(join(dir, 'pwned.csv'))}`);
    expect(two.code).toBe(2);
    expect(existsSync(join(dir, 'pwned.csv'))).toBe(false);
    const read = await run(`(SELECT count(*) FROM read_text(${q(join(lake, '..', 'cache'))})) >= 0`);
    expect(read.code).toBe(8);
    expect(read.stderr).toMatch(/disabled by configuration/);
    const unknown = await run('no_such_column = 1');
    expect(unknown.code).toBe(8);
    expect(unknown.stderr).toMatch(/--where failed: .*no_such_column/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('explains bad requests: a day the lake lacks, a malformed date, an unknown column', async () => {
    const out = join(dir, 'bad');
    const missing = await runCli(['export', '--lake', lake, '--date', '2020-02-29', '--to', out, '--quiet'], {
      env,
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /no day from 2020-02-29 to 2020-02-29 \(it holds 5 day\(s\) from 2019-12-11 to 2022-07-05\)/,
    );
    const badDate = await runCli(['export', '--lake', lake, '--date', '2022-02-30', '--to', out, '--quiet'], {
      env,
    });
    expect(badDate.code).toBe(2);
    const column = await runCli(
      ['export', '--lake', lake, '--date', '2022-01-01', '--columns', 'route', '--to', out, '--quiet'],
      { env },
    );
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/no column "route" in the lake; columns are feed_timestamp, vehicle_id/);
    const noDest = await runCli(['export', '--lake', lake, '--date', '2022-01-01', '--quiet'], { env });
    expect(noDest.code).toBe(2);
  });
});

describe('rtlake export (S3 lake to S3, s3rver)', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3rver();
    await server.createBucket('lake');
    const demo = await runCli(['demo', '--out', 's3://lake/gtfs', '--quiet'], {
      env: { ...server.env, ...env },
    });
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('downloads only the chosen day, and uploads the file whole', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'rtlake-export-cache-'));
    const r = await runCli(
      [
        'export',
        '--lake',
        's3://lake/gtfs',
        '--date',
        '2022-01-01',
        '--format',
        'parquet',
        '--to',
        's3://lake/exports/weekly',
        '--cache-dir',
        cache,
        '--json',
        '--quiet',
      ],
      { env: server.env },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ destination: string; rows: number }>(r);
    expect(s.destination).toBe('s3://lake/exports/weekly/vehicle_positions_2022-01-01.parquet');
    // Only that day's partition was copied down.
    const copied = readdirSync(cache, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('data.parquet'));
    expect(copied).toEqual([
      join(
        'lake-copies',
        readdirSync(join(cache, 'lake-copies'))[0]!,
        'vehicle_positions',
        'year=2022',
        'month=1',
        'day=1',
        'data.parquet',
      ),
    ]);
    // The uploaded object holds the same rows as the lake's partition.
    const local = join(cache, 'check.parquet');
    const object = await server.client.send(
      new GetObjectCommand({ Bucket: 'lake', Key: 'exports/weekly/vehicle_positions_2022-01-01.parquet' }),
    );
    writeFileSync(local, Buffer.from(await object.Body!.transformToByteArray()));
    const lakeObject = await server.client.send(
      new GetObjectCommand({
        Bucket: 'lake',
        Key: 'gtfs/vehicle_positions/year=2022/month=1/day=1/data.parquet',
      }),
    );
    const lakeFile = join(cache, 'lake-day.parquet');
    writeFileSync(lakeFile, Buffer.from(await lakeObject.Body!.transformToByteArray()));
    expect(await diff(`read_parquet(${q(lakeFile)})`, `read_parquet(${q(local)})`)).toEqual({
      onlyA: 0,
      onlyB: 0,
      countA: s.rows,
      countB: s.rows,
    });
  });
});
