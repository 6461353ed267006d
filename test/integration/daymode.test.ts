import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLake } from '../helpers/lakeChecks.js';
import { json, repoRoot, runCli } from '../helpers/runCli.js';

const sample = join(repoRoot, 'src/demo/sample');
const rowsOf = async (lake: string, where: string) => {
  const q = await runCli([
    'query',
    '--lake',
    lake,
    '--format',
    'json',
    '--quiet',
    `SELECT vehicle_id, epoch_us("timestamp") AS ts, source_key, entity_index, occupancy_status, year, month, day FROM vehicle_positions WHERE ${where} ORDER BY ALL`,
  ]);
  expect(q.code, q.stderr).toBe(0);
  return json<unknown[]>(q);
};

describe('day mode (--date, --from/--to) and plan', () => {
  it('a day job writes exactly that day, equal to the prefix-mode merge of the same files', async () => {
    const dayLake = mkdtempSync(join(tmpdir(), 'rtlake-day-'));
    // Three files per batch: each batch keeps only its own winners of the day, as a full day's run does.
    const r = await runCli([
      'ingest',
      '--source',
      sample,
      '--from',
      '2021-12-31',
      '--to',
      '2022-01-01',
      '--out',
      dayLake,
      '--batch-files',
      '3',
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    await checkLake(dayLake);
    const days = json<{ days: { date: string; partitions: { partition: string }[] }[] }>(r).days;
    expect(days.map((d) => [d.date, d.partitions.map((p) => p.partition)])).toEqual([
      ['2021-12-31', ['year=2021/month=12/day=31']],
      ['2022-01-01', ['year=2022/month=1/day=1']],
    ]);
    // The same files in prefix mode: the 2022/01/01 folder (the window around both midnights lies in it).
    const prefixLake = mkdtempSync(join(tmpdir(), 'rtlake-prefix-'));
    const p = await runCli([
      'ingest',
      '--source',
      sample,
      '--glob',
      '2022-01-01*',
      '--out',
      prefixLake,
      '--quiet',
    ]);
    expect(p.code, p.stderr).toBe(0);
    await checkLake(prefixLake);
    const where = `("timestamp" >= TIMESTAMPTZ '2021-12-31 00:00:00+00' AND "timestamp" < TIMESTAMPTZ '2022-01-02 00:00:00+00')`;
    const fromDays = await rowsOf(dayLake, where);
    expect(fromDays.length).toBeGreaterThan(1000);
    expect(fromDays).toEqual(await rowsOf(prefixLake, where));
  });

  it('a day job replaces its partition instead of merging into it', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'rtlake-day-replace-'));
    // First a prefix-mode run over every file, then the day job over the same root.
    expect((await runCli(['ingest', '--source', sample, '--out', lake, '--quiet'])).code).toBe(0);
    const before = await rowsOf(lake, 'year = 2022 AND month = 1 AND day = 1');
    const r = await runCli([
      'ingest',
      '--source',
      sample,
      '--date',
      '2022-01-01',
      '--window',
      '0',
      '--out',
      lake,
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    await checkLake(lake);
    expect(json<{ rows_outside_day: number }>(r).rows_outside_day).toBeGreaterThan(0);
    expect(await rowsOf(lake, 'year = 2022 AND month = 1 AND day = 1')).toEqual(before);
  });

  it('plan prints one job per day, sized with --count', async () => {
    const r = await runCli([
      'plan',
      '--source',
      sample,
      '--from',
      '2021-12-31',
      '--to',
      '2022-01-02',
      '--out',
      's3://lake/gtfs',
      '--count',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { jobs } = json<{ jobs: { index: number; date: string; args: string[]; keys: number }[] }>(r);
    expect(jobs.map((j) => [j.index, j.date, j.keys])).toEqual([
      [0, '2021-12-31', 10],
      [1, '2022-01-01', 10],
      [2, '2022-01-02', 0],
    ]);
    expect(jobs[1]!.args).toEqual([
      'ingest',
      '--source',
      sample,
      '--date',
      '2022-01-01',
      '--out',
      's3://lake/gtfs',
    ]);
  });

  it('plan --feed: the jobs build the tables asked for, and --count lists their files', async () => {
    const plan = (extra: string[]) =>
      runCli([
        'plan',
        '--source',
        sample,
        '--from',
        '2022-05-08',
        '--to',
        '2022-05-08',
        '--window',
        '0',
        '--count',
        '--json',
        ...extra,
      ]);
    type Jobs = { jobs: { args: string[]; keys: number }[] };
    // The sample's one TripUpdates snapshot of 2022-05-08 (src/demo/sample/2022/05/08/): no vehicles that day.
    const vehicles = await plan([]);
    expect(vehicles.code, vehicles.stderr).toBe(0);
    expect(json<Jobs>(vehicles).jobs[0]!.keys).toBe(0);
    const r = await plan(['--feed', 'trip_updates', '--out', 'LAKE']);
    expect(r.code, r.stderr).toBe(0);
    const [job] = json<Jobs>(r).jobs;
    expect(job!.keys).toBe(1);
    expect(job!.args).toEqual([
      'ingest',
      '--source',
      sample,
      '--date',
      '2022-05-08',
      '--out',
      'LAKE',
      '--window',
      '0',
      '--feed',
      'trip_updates',
    ]);
    expect(json<Jobs>(await plan(['--feed', 'all'])).jobs[0]!.args.slice(-2)).toEqual(['--feed', 'all']);
    // The job, run as planned, builds that day's trip_updates partition.
    const lake = mkdtempSync(join(tmpdir(), 'rtlake-plan-feed-'));
    const run = await runCli([...job!.args.map((a) => (a === 'LAKE' ? lake : a)), '--quiet', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(json<any>(run).tables.trip_updates.partitions.map((p: any) => p.partition)).toEqual([
      'year=2022/month=5/day=8',
    ]);
    expect(readdirSync(lake)).toEqual(['trip_updates']);
  });

  it('rejects a bad date with a one-line usage error', async () => {
    const r = await runCli(['ingest', '--source', sample, '--out', '/tmp/x', '--date', '2021-02-30']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--date');
  });
});
