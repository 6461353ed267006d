import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/openDatabase.js';
import { readChart, readMapDots, readMapExtent, timeBucketWidth } from '../../src/db/workbenchQueries.js';
import { chartLines } from '../../src/tui/chartModel.js';
import { brailleCells, cellsBox, fitView, scaleBar, viewGrid, zoomAt } from '../../src/tui/mapModel.js';

/** Charts and the map are binned by DuckDB; every count here is worked out by hand from the rows. */
describe('chart and map binning (real DuckDB)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
    await db.connection.run(`
      CREATE TABLE nums AS SELECT * FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (NULL)) AS t(x);
      CREATE TABLE times AS SELECT CAST(t AS TIMESTAMPTZ) AS ts FROM (VALUES
        ('2022-01-01 00:00:05+00'), ('2022-01-01 00:00:59+00'), ('2022-01-01 00:01:00+00'),
        ('2022-01-01 00:03:30+00'), (NULL)) AS v(t);
      CREATE TABLE words AS SELECT * FROM (VALUES ('a'), ('b'), ('a'), (NULL), ('c'), ('a'), ('b')) AS t(w);
      CREATE TABLE pts AS SELECT * FROM (VALUES
        (9.5, 0.5, 'Red'), (9.2, 0.9, 'Blue'), (6.5, 3.5, 'Red'), (5.5, 3.5, 'Red'),
        (100.0, 1.0, 'Red'), (NULL, 1.0, 'Red'), (9.9, -0.1, 'Red')) AS t(latitude, longitude, route);
    `);
  });
  afterAll(() => db.close());

  it('histograms numbers over the whole result: 0..9 in 3 bins of width 3, the maximum in the last', async () => {
    const c = await readChart(db.connection, 'SELECT x FROM nums', 'x', 'INTEGER', 3);
    // [0,3): 0 1 2; [3,6): 3 4 5; [6,9]: 6 7 8 9. NULL is counted apart.
    expect(c).toMatchObject({
      kind: 'histogram',
      rows: 11,
      values: 10,
      lo: 0,
      hi: 9,
      width: 3,
      counts: [3, 3, 4],
    });
  });
  it('leaves NaN and infinities out of a histogram (the exact extent, not the statistics)', async () => {
    const c = await readChart(
      db.connection,
      "SELECT * FROM (VALUES (1.0), (2.0), ('nan'::DOUBLE), ('inf'::DOUBLE), (NULL)) AS t(x)",
      'x',
      'DOUBLE',
      1,
    );
    expect(c).toMatchObject({ kind: 'histogram', rows: 5, values: 2, lo: 1, hi: 2, counts: [2] });
  });
  it('counts timestamps per automatic bucket: a 3.5-minute span in 10 bars is per minute', async () => {
    const c = await readChart(db.connection, 'SELECT ts FROM times', 'ts', 'TIMESTAMP WITH TIME ZONE', 10);
    // 00:00:05 and 00:00:59 in minute 0, 00:01:00 in minute 1, none in minute 2, 00:03:30 in minute 3.
    expect(c).toMatchObject({ kind: 'time', unit: 'minute', rows: 5, values: 4, counts: [2, 1, 0, 1] });
    expect(c.kind === 'time' && new Date(c.startUs / 1000).toISOString()).toBe('2022-01-01T00:00:00.000Z');
    expect(timeBucketWidth(0, 59e6, 60).unit).toBe('second');
    expect(timeBucketWidth(0, 86_399e6, 24).unit).toBe('hour');
    // 9 days in at most 3 bars: 2 and 3 days give 5 and 4 buckets, 4 days gives [0,4) [4,8) [8,12).
    expect(timeBucketWidth(0, 86_400e6 * 9, 3).unit).toBe('4 days');
  });
  it('ranks text values, NULL among them, with the distinct count and the total', async () => {
    const c = await readChart(db.connection, 'SELECT w FROM words', 'w', 'VARCHAR', 2);
    expect(c).toEqual({
      kind: 'top',
      column: 'w',
      rows: 7,
      distinct: 4,
      values: [
        { value: 'a', n: 3 },
        { value: 'b', n: 2 },
      ],
    });
  });
  it('draws a chart with its axis labels and counts', async () => {
    const c = await readChart(db.connection, 'SELECT x FROM nums', 'x', 'INTEGER', 3);
    const text = chartLines(c, 40, 8).map((l) => l.map((p) => p.text).join(''));
    expect(text[0]).toContain('rows per bin of width 3');
    expect(text[0]).toContain('1 NULL');
    expect(text[1]).toMatch(/^4 ┤/); // the tallest bar's count tops the y axis
    expect(text.at(-1)).toMatch(/0 .* 9/);
  });

  it('bins points into braille dots: only rows with a valid position inside the grid count', async () => {
    const extent = await readMapExtent(db.connection, 'SELECT * FROM pts', 'latitude', 'longitude');
    // 100.0 is no latitude and NULL is none: 5 of 7 rows are points.
    expect(extent).toMatchObject({ rows: 7, points: 5, south: 5.5, north: 9.9, west: -0.1, east: 3.5 });
    const grid = { west: 0, north: 10, dlon: 1, dlat: 1, dotsX: 4, dotsY: 4 };
    const dots = await readMapDots(db.connection, 'SELECT * FROM pts', 'latitude', 'longitude', grid);
    // (9.5, 0.5) and (9.2, 0.9) -> dot (0, 0); (6.5, 3.5) -> (3, 3); (5.5, 3.5) -> y 4 and (9.9, -0.1) -> x -1: outside.
    expect(dots.sort((a, b) => a.x - b.x)).toEqual([
      { x: 0, y: 0, n: 2 },
      { x: 3, y: 3, n: 1 },
    ]);
    // Dot (0,0) is the top-left dot of cell 0 (U+2801); dot (3,3) the bottom-right of cell 1 (U+2880).
    expect(brailleCells(dots, 2, 1).rows).toEqual(['\u2801\u2880']);
    const coloured = await readMapDots(
      db.connection,
      'SELECT * FROM pts',
      'latitude',
      'longitude',
      grid,
      'route',
    );
    // Dot (0,0) has one Red and one Blue: a tie goes to the smaller value.
    expect(coloured.find((d) => d.x === 0)).toEqual({ x: 0, y: 0, n: 2, colour: 'Blue' });
  });
});

describe('map geometry', () => {
  it('fits a box with square dots on the ground: a dot spans dlat / cos(latitude) degrees of longitude', () => {
    const box = { south: 42, north: 43, west: -72, east: -70 };
    const view = fitView(box, 10, 5);
    const grid = viewGrid(view, 10, 5);
    const cos = Math.cos((42.5 * Math.PI) / 180);
    expect(grid.dlon * cos).toBeCloseTo(grid.dlat, 12);
    const shown = cellsBox(grid, { x: 0, y: 0 }, { x: 9, y: 4 });
    expect(shown.west).toBeLessThanOrEqual(-72);
    expect(shown.east).toBeGreaterThanOrEqual(-70);
    expect(shown.south).toBeLessThanOrEqual(42);
    expect(shown.north).toBeGreaterThanOrEqual(43);
  });
  it('zooms keeping the point under the cursor in place', () => {
    const view = { centerLat: 42, centerLon: -71, dlat: 0.01 };
    const before = cellsBox(viewGrid(view, 20, 10), { x: 3, y: 2 }, { x: 3, y: 2 });
    const zoomed = zoomAt(view, 20, 10, 3, 2, 2);
    const after = cellsBox(viewGrid(zoomed, 20, 10), { x: 3, y: 2 }, { x: 3, y: 2 });
    expect(zoomed.dlat).toBe(0.005);
    expect((after.west + after.east) / 2).toBeCloseTo((before.west + before.east) / 2, 9);
    expect((after.south + after.north) / 2).toBeCloseTo((before.south + before.north) / 2, 9);
  });
  it('scales: 0.01 degree dots are 2.2264 km a cell, so 10 cells hold a 20 km bar of 9 cells', () => {
    expect(scaleBar({ centerLat: 42, centerLon: -71, dlat: 0.01 }, 10)).toEqual({ cells: 9, label: '20 km' });
  });
});
