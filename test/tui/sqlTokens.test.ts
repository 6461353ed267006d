import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/openDatabase.js';
import { splitStatements, tokenize, type TokenKind } from '../../src/tui/sqlTokens.js';

const kinds = (sql: string) =>
  tokenize(sql)
    .filter((t) => t.kind !== 'whitespace')
    .map((t) => [t.kind, sql.slice(t.start, t.end)] as [TokenKind, string]);

describe('the SQL tokenizer', () => {
  it('tells keywords, identifiers, numbers, operators and punctuation apart', () => {
    expect(kinds('SELECT a1, 1.5e3 FROM t WHERE x >= .5;')).toEqual([
      ['keyword', 'SELECT'],
      ['identifier', 'a1'],
      ['punctuation', ','],
      ['number', '1.5e3'],
      ['keyword', 'FROM'],
      ['identifier', 't'],
      ['keyword', 'WHERE'],
      ['identifier', 'x'],
      ['operator', '>='],
      ['number', '.5'],
      ['punctuation', ';'],
    ]);
  });
  it("ends a string at the first lone quote ('' stays inside), and an E-string skips backslash escapes", () => {
    expect(kinds("'it''s' 'a\\' x")).toEqual([
      ['string', "'it''s'"],
      ['string', "'a\\'"],
      ['identifier', 'x'],
    ]);
    expect(kinds("E'a\\'b' x")).toEqual([
      ['string', "E'a\\'b'"],
      ['identifier', 'x'],
    ]);
  });
  it('ends quoted identifiers at a lone double quote, dollar strings at the same tag, and nests block comments', () => {
    expect(kinds('"a""b" $x$ it\'s $y$ $x$ $$;$$ $1')).toEqual([
      ['quotedIdentifier', '"a""b"'],
      ['string', "$x$ it's $y$ $x$"],
      ['string', '$$;$$'],
      ['parameter', '$1'],
    ]);
    expect(kinds('/* a /* b */ c */ 1 -- d\n2')).toEqual([
      ['comment', '/* a /* b */ c */'],
      ['number', '1'],
      ['comment', '-- d'],
      ['number', '2'],
    ]);
  });
  it('runs an unterminated string or comment to the end and says so', () => {
    const [t] = tokenize("'abc");
    expect(t).toMatchObject({ kind: 'string', start: 0, end: 4, unterminated: true });
    expect(tokenize('/* x').at(-1)).toMatchObject({ kind: 'comment', unterminated: true });
  });
});

describe('the tokenizer agrees with DuckDB', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.close());

  // Each literal as the tokenizer cuts it out must be one whole value to DuckDB, with the value
  // written here by hand from the SQL rules (not from either tokenizer).
  const literals: [string, string][] = [
    ["'it''s'", "it's"],
    ["'a\\'", 'a\\'],
    ["E'a\\'b'", "a'b"],
    ["e'tab\\there'", 'tab\there'],
    ["$x$ it's $y$ ; $x$", " it's $y$ ; "],
    ['$$a;b$$', 'a;b'],
  ];
  for (const [sql, value] of literals) {
    it(`reads ${sql} as one string`, async () => {
      const toks = tokenize(`${sql} AS v`).filter((t) => t.kind !== 'whitespace');
      expect(toks[0]).toMatchObject({ kind: 'string', start: 0, end: sql.length });
      const r = await db.connection.runAndReadAll(`SELECT ${sql.slice(toks[0]!.start, toks[0]!.end)} AS v`);
      expect(r.getRows()[0]![0]).toBe(value);
    });
  }

  it('names a quoted identifier the way DuckDB does', async () => {
    const sql = 'SELECT 1 AS "odd ""name"" ; here"';
    const t = tokenize(sql).find((x) => x.kind === 'quotedIdentifier')!;
    expect(t.end).toBe(sql.length);
    const r = await db.connection.runAndReadAll(sql);
    expect(r.columnNames()).toEqual(['odd "name" ; here']);
  });

  // Statement splitting rests on where strings, identifiers and comments end: DuckDB's own count
  // of statements in the same text must match.
  const scripts = [
    "SELECT ';' AS a; SELECT 2",
    'SELECT 1 /* ; /* ; */ ; */ ; SELECT 2',
    'SELECT 1 -- ; \n; SELECT 2; SELECT 3',
    "SELECT E'\\';' ; SELECT 2",
    'SELECT $t$;$$;$t$; SELECT "a;b" FROM (SELECT 1 AS "a;b")',
  ];
  for (const script of scripts) {
    it(`splits ${JSON.stringify(script)} as DuckDB does`, async () => {
      const extracted = await db.connection.extractStatements(script);
      expect(splitStatements(script)).toHaveLength(extracted.count);
    });
  }
});
