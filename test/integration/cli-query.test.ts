import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import { runWith } from './cli-process.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-query-${name}-`));
let lake: string;

beforeAll(async () => {
  lake = join(tmp('lake'), 'lake');
  const r = await runCli(['demo', '--out', lake, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});

const query = (args: string[], options: Parameters<typeof runWith>[1] = {}) =>
  runWith(['query', '--lake', lake, ...args], options);

describe('query: where the SQL comes from', () => {
  it('standard input when no SQL is given: echo "SELECT 42" | rtlake query --lake L prints 42', async () => {
    const r = await query([], { input: 'SELECT 42\n' });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^│/.test(l));
    expect(rows[0]).toMatch(/^│ +42 │$/);
    expect(rows.at(-1)).toMatch(/^│ 1 row\s*│$/);
    expect((await query(['--format', 'csv'], { input: 'SELECT 42 AS answer' })).stdout).toBe('answer\n42\n');
  });

  it('-f FILE with several statements runs them in order and prints the last', async () => {
    const file = join(tmp('sql'), 'script.sql');
    writeFileSync(
      file,
      'CREATE TEMP TABLE t AS SELECT range AS i FROM range(5); -- a comment; with a semicolon\n' +
        'INSERT INTO t VALUES (10);\nSELECT sum(i) AS s, \'a;b\' AS "x;y" FROM t;\n',
    );
    const r = await query(['-f', file, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('s,x;y\n20,a;b\n');
    const fromStdin = await query(['-f', '-', '--format', 'csv'], { input: readFileSync(file, 'utf8') });
    expect(fromStdin.stdout).toBe('s,x;y\n20,a;b\n');
  });

  it('an argument and -f together, a missing file, empty SQL and a SQL error are one line each', async () => {
    const both = await query(['-f', 'x.sql', 'SELECT 1']);
    expect(both.code).toBe(2);
    const missing = await query(['-f', join(tmp('x'), 'nope.sql')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rtlake: -f .*nope\.sql: no such file\n$/);
    const empty = await query([], { input: '  -- nothing\n;' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('rtlake: the SQL is empty\n');
    const bad = await query(['SELEC 1']);
    expect(bad.code).toBe(8);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('query: a closed pipe ends quietly', () => {
  for (const format of ['table', 'csv', 'tsv', 'jsonl']) {
    it(`--format ${format} | head -1: exit 0, nothing on stderr`, async () => {
      let closed = false;
      const r = await query(
        ['--format', format, "SELECT range AS i, repeat('x', 50) AS pad FROM range(3000000)"],
        {
          onStdout: (text, child) => {
            if (!closed && text.includes('\n')) {
              closed = true;
              child.stdout!.destroy();
            }
          },
        },
      );
      expect(closed).toBe(true);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }
});

describe('query --format table (duckbox)', () => {
  it('a million rows print 40: the first 20 and the last 20, and a line counting the rest', async () => {
    const r = await query(['SELECT range AS i, range % 7 AS r FROM range(1000000)']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const cells = (l: string) =>
      l
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim());
    expect(cells(lines[1]!)).toEqual(['i', 'r']);
    expect(cells(lines[2]!)).toEqual(['int64', 'int64']);
    const data = lines.filter((l) => /^│ +\d+ │ +\d+ │$/.test(l)).map((l) => cells(l).map(Number));
    const expected = [
      ...Array.from({ length: 20 }, (_, k) => [k, k % 7]),
      ...Array.from({ length: 20 }, (_, k) => [999980 + k, (999980 + k) % 7]),
    ];
    expect(data).toEqual(expected);
    expect(lines.filter((l) => /^│\s+·\s+│\s+·\s+│$/.test(l))).toHaveLength(3);
    expect(lines.at(-2)).toMatch(/^│ 1,000,000 rows \(40 shown, 999,960 not shown\)\s+│$/);
    // Every line of the box is as wide as the others.
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
  });

  it('--max-rows changes how many; numbers right-aligned, text left, NULL shown', async () => {
    const r = await query([
      '--max-rows',
      '4',
      "SELECT range AS n, CASE WHEN range = 1 THEN NULL ELSE 'v' || range END AS s FROM range(10)",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const body = lines.filter((l) => /^│ +\d+ │/.test(l));
    // Numbers end at the column's right edge (int64 is five wide); text starts at its left edge.
    expect(body.map((l) => l.split('│')[1])).toEqual(['     0 ', '     1 ', '     8 ', '     9 ']);
    expect(body.map((l) => l.split('│')[2]!.trimEnd())).toEqual([' v0', ' NULL', ' v8', ' v9']);
    expect(lines[2]).toMatch(/^│ int64 │ varchar +│$/);
    expect(lines.at(-2)).toMatch(/10 rows \(4 shown, 6 not shown\)/);
  });
});

describe('query: the other formats', () => {
  const sql = "SELECT 1 AS a, 'x|y' AS b UNION ALL SELECT 22, NULL ORDER BY a";
  it('markdown, tsv and line', async () => {
    expect((await query(['--format', 'markdown', sql])).stdout).toBe(
      '| a | b |\n|---:|---|\n| 1 | x\\|y |\n| 22 | NULL |\n',
    );
    expect(
      (await query(['--format', 'tsv', "SELECT 1 AS a, 'p\tq' AS b UNION ALL SELECT 2, NULL ORDER BY a"]))
        .stdout,
    ).toBe('a\tb\n1\tp\\tq\n2\t\n');
    expect((await query(['--format', 'line', sql])).stdout).toBe('a = 1\nb = x|y\n\na = 22\nb = NULL\n');
  });

  it('json (and --json), jsonl, csv', async () => {
    const json = await query(['--format', 'json', sql]);
    expect(JSON.parse(json.stdout)).toEqual([
      { a: 1, b: 'x|y' },
      { a: 22, b: null },
    ]);
    expect((await query(['--json', sql])).stdout).toBe(json.stdout);
    expect((await query(['--format', 'jsonl', sql])).stdout).toBe('{"a":1,"b":"x|y"}\n{"a":22,"b":null}\n');
    expect((await query(['--format', 'csv', sql])).stdout).toBe('a,b\n1,x|y\n22,\n');
    const clash = await query(['--json', '--format', 'csv', sql]);
    expect(clash.code).toBe(2);
  });

  it('csv, jsonl and parquet are byte for byte what export writes for the same rows', async () => {
    const day = (
      await query(['--format', 'csv', 'SELECT min(utc_date("timestamp")) AS d FROM vehicle_positions'])
    ).stdout
      .split('\n')[1]!
      .trim();
    const [y, m, d] = day.split('-').map(Number);
    const same = `SELECT * EXCLUDE (year, month, day) FROM vehicle_positions WHERE year = ${y} AND month = ${m} AND day = ${d} ORDER BY vehicle_id, "timestamp"`;
    for (const [format, ext] of [
      ['csv', 'csv'],
      ['jsonl', 'jsonl'],
      ['parquet', 'parquet'],
    ] as const) {
      const out = tmp('export');
      const file = join(out, `x.${ext}`);
      const e = await runCli(['export', '--lake', lake, '--date', day, '--to', file, '--quiet']);
      expect(e.code, e.stderr).toBe(0);
      const viaQuery = join(out, `q.${ext}`);
      const q = await runWith(['query', '--lake', lake, '--format', format, same]);
      expect(q.code, q.stderr).toBe(0);
      writeFileSync(viaQuery, q.bytes);
      const exported = readFileSync(file);
      expect(exported.length).toBeGreaterThan(100);
      expect(q.bytes.equals(exported), `${format} differs`).toBe(true);
    }
  });
});
