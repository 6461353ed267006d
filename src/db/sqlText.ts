/** '…' with quotes doubled (DuckDB's rule for string literals). */
function quotedString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** "…" with quotes doubled (DuckDB's rule for identifiers). */
function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const maker = Symbol('sqlText');

/**
 * A piece of SQL that is safe to splice into a sql/ template: code written in the program (the
 * `sql` tag), a value quoted here, or the one checked user expression (sqlUserExpression). It can
 * be made only in this module: templates never receive raw text.
 */
export class SqlFragment {
  readonly text: string;
  constructor(key: typeof maker, text: string) {
    if (key !== maker) throw new TypeError('SqlFragment is made only by src/db/sqlText.ts');
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const fragment = (text: string) => new SqlFragment(maker, text);

/**
 * SQL written in the program, with fragments in its slots: sql`ORDER BY ${column} ${direction}`.
 * Only a template literal's own strings (frozen, with .raw) are accepted as code.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlFragment[]): SqlFragment {
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw))
    throw new TypeError('sql`…` takes a template literal, not a string');
  return fragment(
    strings.reduce((text, part, i) => {
      const value = values[i - 1];
      if (!(value instanceof SqlFragment)) throw new TypeError(`sql\`…\` slot ${i} is not a SqlFragment`);
      return text + value.text + part;
    }),
  );
}

/** Fragments joined by a separator chosen by code. */
export function sqlJoin(parts: readonly SqlFragment[], separator: ', ' | ' ' | ',\n  '): SqlFragment {
  return fragment(parts.map((p) => p.text).join(separator));
}

/** Identifiers, comma-separated, each optionally qualified by a table alias: p."a", p."b". */
export function sqlIdentList(names: readonly string[], alias?: string): SqlFragment {
  const prefix = alias === undefined ? '' : `${quotedIdentifier(alias)}.`;
  return fragment(names.map((n) => prefix + quotedIdentifier(n)).join(', '));
}

/**
 * The user's own SQL expression (export --where), placed verbatim in parentheses. The only way
 * user text becomes SQL: the caller must first have shown that it parses as exactly one expression
 * (exportLake's checkWhere), and it runs in a session that can read only the export's view.
 */
export function sqlUserExpression(checkedExpression: string): SqlFragment {
  return fragment(`(\n${checkedExpression}\n)`);
}

/** A string literal: '…' with quotes doubled. */
export function sqlString(value: string): SqlFragment {
  return fragment(quotedString(value));
}

/** An identifier: "…" with quotes doubled. */
export function sqlIdent(name: string): SqlFragment {
  return fragment(quotedIdentifier(name));
}

/** A list literal of strings: ['a', 'b']. */
export function sqlStringList(values: readonly string[]): SqlFragment {
  return fragment(`[${values.map((v) => quotedString(v)).join(', ')}]`);
}

/** An integer literal; throws on anything that is not a safe integer. */
export function sqlInteger(value: number): SqlFragment {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
  return fragment(String(value));
}

/** One of a fixed set of SQL keywords/fragments, chosen by code (never by user text). */
export function sqlKeyword<T extends string>(value: T, allowed: readonly T[]): SqlFragment {
  if (!allowed.includes(value)) throw new TypeError(`not one of ${allowed.join(', ')}: ${value}`);
  return fragment(value);
}

/** Rows of string literals for VALUES: ('a', 'b'), ('c', 'd'). */
export function sqlStringRows(rows: readonly (readonly string[])[]): SqlFragment {
  return fragment(rows.map((row) => `(${row.map((v) => quotedString(v)).join(', ')})`).join(', '));
}

/** A DATE literal from its parts (checked integers), or a typed NULL for none. */
export function sqlDate(date: { year: number; month: number; day: number } | null): SqlFragment {
  if (date === null) return fragment('CAST(NULL AS DATE)');
  return fragment(
    `make_date(${sqlInteger(date.year).text}, ${sqlInteger(date.month).text}, ${sqlInteger(date.day).text})`,
  );
}

/**
 * A statement the user typed in the workbench, to be used as a subquery of a sql/workbench/ file.
 * It is SQL by intent (the user asked to run it); this only makes it fit inside parentheses:
 * trailing ';' removed, and a newline so a trailing -- comment cannot swallow the closing ')'.
 */
export function sqlUserQuery(sql: string): SqlFragment {
  return fragment(
    `${sql
      .trim()
      .replace(/;+\s*$/, '')
      .trim()}\n`,
  );
}

/** A finite number literal (DOUBLE); throws on NaN or infinity. */
export function sqlDouble(value: number): SqlFragment {
  if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  return fragment(String(value));
}
