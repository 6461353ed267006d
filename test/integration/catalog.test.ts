import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, repoRoot, runCli } from '../helpers/runCli.js';

/** Runs SQL in the test's own in-memory DuckDB (not rtlake's code) and returns the rows. */
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

/** Opens a DuckDB database file in a separate process, read-only, as Tableau or Python would. */
function countInOtherProcess(dbFile: string, query: string): Promise<string> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(process.argv[2]);
    process.stdout.write(String(reader.getRows()[0][0]));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dbFile, query], {
      cwd: repoRoot,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`duckdb reader exited ${code}: ${err}`)),
    );
  });
}

let lake: string;
let env: Record<string, string>;
const glob = () => quotedString(join(lake, 'vehicle_positions', '*', '*', '*', 'data.parquet'));

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-catalog-'));
  lake = join(dir, 'lake');
  env = { RTLAKE_CACHE_DIR: join(dir, 'cache') };
  const demo = await runCli(['demo', '--out', lake, '--quiet'], { env });
  expect(demo.code, demo.stderr).toBe(0);
});

describe('the Parquet files ingest writes', () => {
  it('hold Athena engine v3 / Spark types: INT64 microsecond UTC timestamps, no unsigned, no nanoseconds, no partition columns', async () => {
    const schema = await sql(
      `SELECT file_name, name, type, converted_type, logical_type FROM parquet_schema(${glob()}) WHERE num_children IS NULL`,
    );
    expect(new Set(schema.map((r) => r.file_name)).size).toBeGreaterThanOrEqual(4);
    const timestamps = schema.filter((r) => r.name === 'timestamp' || r.name === 'feed_timestamp');
    expect(timestamps.length).toBe(2 * new Set(schema.map((r) => r.file_name)).size);
    for (const r of timestamps) {
      expect(r.type).toBe('INT64');
      expect(r.converted_type).toBe('TIMESTAMP_MICROS');
      expect(String(r.logical_type)).toContain('isAdjustedToUTC=1');
      expect(String(r.logical_type)).toContain('MICROS=MicroSeconds()');
    }
    for (const r of schema) {
      expect(r.type, `${r.name}`).not.toBe('INT96');
      expect(String(r.converted_type ?? ''), `${r.name}`).not.toMatch(/^UINT/);
      expect(String(r.logical_type ?? ''), `${r.name}`).not.toMatch(/NANOS=NanoSeconds|isSigned=0/);
      expect(['year', 'month', 'day']).not.toContain(r.name);
    }
  });
});

describe('rtlake catalog athena', () => {
  it('prints DDL whose columns and types are the Parquet columns, with partition projection over year/month/day', async () => {
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
        '--quiet',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const ddl = r.stdout;

    // The expected list, from the Parquet footers read here, mapped by a table written by hand.
    const athenaType = (t: Record<string, unknown>) => {
      if (t.type === 'INT64' && t.converted_type === 'TIMESTAMP_MICROS') return 'timestamp';
      if (t.type === 'INT64') return 'bigint';
      if (t.type === 'INT32') return 'int';
      if (t.type === 'DOUBLE') return 'double';
      if (t.type === 'BYTE_ARRAY' && t.converted_type === 'UTF8') return 'string';
      return `unexpected ${t.type}`;
    };
    const file = join(lake, 'vehicle_positions', 'year=2022', 'month=1', 'day=1', 'data.parquet');
    const columns = (
      await sql(
        `SELECT name, type, converted_type FROM parquet_schema(${quotedString(file)}) WHERE num_children IS NULL ORDER BY column_id`,
      )
    ).map((c) => `\`${c.name}\` ${athenaType(c)}`);
    expect(columns.length).toBe(19);
    const body = ddl.slice(ddl.indexOf('(\n') + 2, ddl.indexOf('\n)\n'));
    expect(body.split(',\n').map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(columns);
    expect(ddl).toMatch(/^ {2}`timestamp` +timestamp,$/m);
    expect(ddl).toMatch(/^ {2}`current_stop_sequence` +int,$/m);

    expect(ddl.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `gtfs`.`vehicle_positions` (')).toBe(true);
    expect(ddl).toContain('PARTITIONED BY (`year` int, `month` int, `day` int)');
    expect(ddl).toContain('STORED AS PARQUET');
    expect(ddl).toContain("LOCATION 's3://my-bucket/gtfs/vehicle_positions/'");
    expect(ddl).toContain("'projection.enabled' = 'true'");
    expect(ddl).toContain("'projection.month.range' = '1,12'");
    expect(ddl).toContain("'projection.day.range' = '1,31'");
    expect(ddl).toMatch(new RegExp(`'projection.year.range' = '2019,${new Date().getUTCFullYear() + 5}'`));
    expect(ddl).toContain(
      "'storage.location.template' = 's3://my-bucket/gtfs/vehicle_positions/year=${year}/month=${month}/day=${day}/'",
    );
  });

  it('warns, on a local lake without --location, that LOCATION is a placeholder', async () => {
    const r = await runCli(['catalog', 'athena', '--lake', lake], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('CREATE EXTERNAL TABLE');
    expect(r.stderr).toMatch(/local folder: LOCATION below is a placeholder/);
  });

  it('refuses files whose types Athena cannot read exactly (unsigned, nanosecond timestamps)', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'rtlake-badtypes-'));
    const day = join(bad, 'vehicle_positions', 'year=2022', 'month=1', 'day=1');
    mkdirSync(day, { recursive: true });
    await sql(
      `COPY (SELECT 'v1' AS vehicle_id, 7::UINTEGER AS stop_count, TIMESTAMP_NS '2022-01-01 00:00:01.123456789' AS "timestamp") ` +
        `TO ${quotedString(join(day, 'data.parquet'))} (FORMAT parquet)`,
    );
    const r = await runCli(
      ['catalog', 'athena', '--lake', bad, '--location', 's3://my-bucket/x', '--quiet'],
      { env },
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/column stop_count is an unsigned integer/);
    expect(r.stderr).toMatch(/column timestamp is a nanosecond timestamp/);
    expect(r.stdout).toBe('');
  });

  it('says so when the lake has no partitions, and rejects names Athena would not accept', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rtlake-empty-lake-'));
    const none = await runCli(['catalog', 'athena', '--lake', empty, '--quiet'], { env });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no partitions under vehicle_positions/);
    const name = await runCli(
      ['catalog', 'athena', '--lake', lake, '--table', 'Vehicle-Positions', '--quiet'],
      { env },
    );
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/--table "Vehicle-Positions" must be lower-case/);
  });
});

describe('rtlake catalog duckdb', () => {
  it('writes a database file that another DuckDB process opens, with the same row count as the lake', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rtlake-duckdb-catalog-')), 'lake.duckdb');
    const r = await runCli(['catalog', 'duckdb', '--lake', lake, '--out', out, '--json', '--quiet'], { env });
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ rows: number; partitions: number; views: string[]; local_copy: string | null }>(r);
    const [expected] = await sql(
      `SELECT count(*) AS n, count(DISTINCT filename) AS files FROM read_parquet(${glob()}, filename = true)`,
    );
    expect(s.rows).toBe(Number(expected!.n));
    expect(s.partitions).toBe(Number(expected!.files));
    expect(s.views).toEqual(['vehicle_positions']);
    expect(s.local_copy).toBeNull();

    expect(await countInOtherProcess(out, 'SELECT count(*) FROM vehicle_positions')).toBe(
      String(expected!.n),
    );
    // The partition columns come from the folder names, as integers.
    expect(
      await countInOtherProcess(
        out,
        "SELECT count(*) FROM vehicle_positions WHERE year = 2022 AND month = 1 AND day = 1 AND typeof(day) = 'INTEGER'",
      ),
    ).toBe(
      String(
        (
          await sql(
            `SELECT count(*) AS n FROM read_parquet(${quotedString(join(lake, 'vehicle_positions', 'year=2022', 'month=1', 'day=1', 'data.parquet'))})`,
          )
        )[0]!.n,
      ),
    );
  });

  it('reads a local lake in place, so a day written later shows up without re-running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtlake-duckdb-live-'));
    const copy = join(dir, 'lake');
    const src = join(lake, 'vehicle_positions', 'year=2022', 'month=7', 'day=5', 'data.parquet');
    mkdirSync(join(copy, 'vehicle_positions', 'year=2022', 'month=7', 'day=5'), { recursive: true });
    copyFileSync(src, join(copy, 'vehicle_positions', 'year=2022', 'month=7', 'day=5', 'data.parquet'));
    const out = join(dir, 'lake.duckdb');
    const r = await runCli(['catalog', 'duckdb', '--lake', copy, '--out', out, '--quiet'], { env });
    expect(r.code, r.stderr).toBe(0);
    const one = Number(await countInOtherProcess(out, 'SELECT count(*) FROM vehicle_positions'));
    mkdirSync(join(copy, 'vehicle_positions', 'year=2022', 'month=7', 'day=6'), { recursive: true });
    copyFileSync(src, join(copy, 'vehicle_positions', 'year=2022', 'month=7', 'day=6', 'data.parquet'));
    expect(Number(await countInOtherProcess(out, 'SELECT count(*) FROM vehicle_positions'))).toBe(2 * one);
  });
});
