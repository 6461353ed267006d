/** '…' with quotes doubled (DuckDB's rule for string literals). */
function quotedString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** "…" with quotes doubled (DuckDB's rule for identifiers). */
function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A piece of SQL that is safe to splice into a sql/ template: either text from a sql/ file or
 * a value quoted here. Templates never receive raw user input.
 */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A string literal: '…' with quotes doubled. */
export function sqlString(value: string): SqlFragment {
  return new SqlFragment(quotedString(value));
}

/** An identifier: "…" with quotes doubled. */
export function sqlIdent(name: string): SqlFragment {
  return new SqlFragment(quotedIdentifier(name));
}

/** A list literal of strings: ['a', 'b']. */
export function sqlStringList(values: readonly string[]): SqlFragment {
  return new SqlFragment(`[${values.map((v) => quotedString(v)).join(', ')}]`);
}

/** An integer literal; throws on anything that is not a safe integer. */
export function sqlInteger(value: number): SqlFragment {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
  return new SqlFragment(String(value));
}

/** One of a fixed set of SQL keywords/fragments, chosen by code (never by user text). */
export function sqlKeyword<T extends string>(value: T, allowed: readonly T[]): SqlFragment {
  if (!allowed.includes(value)) throw new TypeError(`not one of ${allowed.join(', ')}: ${value}`);
  return new SqlFragment(value);
}

/** Rows of string literals for VALUES: ('a', 'b'), ('c', 'd'). */
export function sqlStringRows(rows: readonly (readonly string[])[]): SqlFragment {
  return new SqlFragment(rows.map((row) => `(${row.map((v) => quotedString(v)).join(', ')})`).join(', '));
}

/** A DATE literal from its parts (checked integers), or a typed NULL for none. */
export function sqlDate(date: { year: number; month: number; day: number } | null): SqlFragment {
  if (date === null) return new SqlFragment('CAST(NULL AS DATE)');
  return new SqlFragment(
    `make_date(${sqlInteger(date.year).text}, ${sqlInteger(date.month).text}, ${sqlInteger(date.day).text})`,
  );
}

/**
 * A statement the user typed in the workbench, to be used as a subquery of a sql/workbench/ file.
 * It is SQL by intent (the user asked to run it); this only makes it fit inside parentheses:
 * trailing ';' removed, and a newline so a trailing -- comment cannot swallow the closing ')'.
 */
export function sqlUserQuery(sql: string): SqlFragment {
  return new SqlFragment(
    `${sql
      .trim()
      .replace(/;+\s*$/, '')
      .trim()}\n`,
  );
}

/** A finite number literal (DOUBLE); throws on NaN or infinity. */
export function sqlDouble(value: number): SqlFragment {
  if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  return new SqlFragment(String(value));
}
