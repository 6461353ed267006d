import { describe, expect, it } from 'vitest';
import { partitionsOfQuery } from '../../src/db/partitionFilter.js';

// Twelve days: the 1st, 6th and 7th of Aug, Sep, Oct 2021, and the same days of Sep 2022.
const days = [2021, 2022].flatMap((year) =>
  (year === 2021 ? [8, 9, 10] : [9]).flatMap((month) => [1, 6, 7].map((day) => ({ year, month, day }))),
);
const label = (k: { year: number; month: number; day: number }) => `${k.year}-${k.month}-${k.day}`;

async function selected(sql: string): Promise<string[] | 'all'> {
  const test = await partitionsOfQuery(sql);
  return test === null ? 'all' : days.filter(test).map(label);
}

describe("the partitions a query's year/month/day predicates can select (DuckDB's parse tree)", () => {
  const cases: [string, string[] | 'all'][] = [
    ['SELECT count(*) FROM vehicle_positions WHERE year = 2021 AND month = 9 AND day = 6', ['2021-9-6']],
    [
      'SELECT * FROM vehicle_positions WHERE year = 2021 AND month = 9 AND day IN (6, 7)',
      ['2021-9-6', '2021-9-7'],
    ],
    [
      'SELECT * FROM vehicle_positions WHERE 2021 = year AND 9 < month',
      ['2021-10-1', '2021-10-6', '2021-10-7'],
    ],
    [
      "SELECT * FROM vehicle_positions WHERE year = 2022 AND day BETWEEN 6 AND 7 AND route_id = 'Red'",
      ['2022-9-6', '2022-9-7'],
    ],
    [
      'SELECT * FROM vehicle_positions WHERE (year = 2021 AND month = 8 AND day = 1) OR (year = 2022 AND month = 9 AND day = 7)',
      ['2021-8-1', '2022-9-7'],
    ],
    ['SELECT * FROM vehicle_positions v WHERE v.year = 2022', ['2022-9-1', '2022-9-6', '2022-9-7']],
    [
      'WITH d AS (SELECT * FROM vehicle_positions WHERE year = 2021 AND month = 8) SELECT count(*) FROM d',
      ['2021-8-1', '2021-8-6', '2021-8-7'],
    ],
    // Cannot tell: every partition.
    ['SELECT count(*) FROM vehicle_positions', 'all'],
    ["SELECT * FROM vehicle_positions WHERE year = 2021 OR route_id = 'Red'", 'all'],
    // DuckDB's parser turns NOT (year = 2021) into year <> 2021.
    ['SELECT * FROM vehicle_positions WHERE NOT (year = 2021)', ['2022-9-1', '2022-9-6', '2022-9-7']],
    ['SELECT * FROM vehicle_positions WHERE NOT (year = 2021 AND month = 8)', 'all'],
    [
      'SELECT * FROM vehicle_positions a JOIN vehicle_positions b USING (vehicle_id) WHERE a.year = 2021',
      'all',
    ],
    ['SELECT (SELECT count(*) FROM vehicle_positions) AS n FROM vehicle_positions WHERE year = 2021', 'all'],
    ['SELECT 42', 'all'],
    ['CREATE TABLE x AS SELECT 1; SELECT * FROM vehicle_positions WHERE year = 2021', 'all'],
    ['SELEC broken', 'all'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, async () => {
      expect(await selected(sql)).toEqual(expected);
    });
  }
  it('two statements that each filter: the union', async () => {
    expect(
      await selected(
        'SELECT * FROM vehicle_positions WHERE year = 2021 AND month = 8 AND day = 6; SELECT * FROM vehicle_positions WHERE year = 2022 AND month = 9 AND day = 1',
      ),
    ).toEqual(['2021-8-6', '2022-9-1']);
  });
});
