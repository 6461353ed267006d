import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/openDatabase.js';
import { describeQueryError, isInterrupted } from '../../src/db/duckdbErrors.js';
import { interruptQueries } from '../../src/db/interruptible.js';
import { openQueryPage } from '../../src/db/queryPage.js';
import { frequencyQuery, sortedQuery } from '../../src/db/workbenchQueries.js';

describe('queryPage against a real DuckDB', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.close());

  it('reads a page of a million-row result and then the next page', async () => {
    const cursor = await openQueryPage(db.connection, 'SELECT range AS i FROM range(1000000)', 500);
    expect(cursor.rows).toHaveLength(500);
    expect(cursor.hasMore).toBe(true);
    expect(cursor.rows[499]).toEqual(['499']);
    const next = await cursor.more(500);
    expect(next.rows[0]).toEqual(['500']);
    expect(next.hasMore).toBe(true);
  });
  it('says there is no more when the result fits exactly', async () => {
    const cursor = await openQueryPage(db.connection, 'SELECT * FROM range(500)', 500);
    expect(cursor.hasMore).toBe(false);
  });
  it('runs earlier statements and streams the last', async () => {
    const cursor = await openQueryPage(
      db.connection,
      'CREATE OR REPLACE TABLE t AS SELECT 1 AS "odd ""name"""; SELECT * FROM t',
      10,
    );
    expect(cursor.columns).toEqual(['odd "name"']);
    const sorted = await openQueryPage(
      db.connection,
      sortedQuery('SELECT * FROM t;', 'odd "name"', 'desc'),
      10,
    );
    expect(sorted.rows).toEqual([['1']]);
    const freq = await openQueryPage(db.connection, frequencyQuery('SELECT * FROM t', 'odd "name"'), 10);
    expect(freq.rows).toEqual([['1', '1', '100']]);
  });
  it('is interrupted and the connection stays usable', async () => {
    const pending = openQueryPage(db.connection, 'SELECT count(*) FROM range(10000000000)', 10);
    setTimeout(() => interruptQueries([db.connection]), 200);
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isInterrupted(err)).toBe(true);
    const after = await openQueryPage(db.connection, 'SELECT 42', 1);
    expect(after.rows).toEqual([['42']]);
  });
  it('puts errors in plain words', async () => {
    const err = await openQueryPage(db.connection, 'SELECT * FORM t', 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeQueryError(err)).toMatch(/^syntax error: syntax error at or near "t" \(line 1\)$/);
  });
});
