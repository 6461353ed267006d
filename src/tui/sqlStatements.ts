/** A statement's text and its [start, end) offsets in the editor text (end excludes the ';'). */
export interface StatementSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * Splits SQL at top-level semicolons, skipping those inside '…', "…", -- comments, block comments
 * and $$ strings. Blank statements are dropped.
 */
export function splitStatements(sql: string): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end);
    if (text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '')
      spans.push({ start, end, text: text.trim() });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      i = close === -1 ? sql.length : close + 1;
      // a doubled quote continues the same literal; the loop re-enters at the second quote
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
      continue;
    }
    if (c === '$' && sql[i + 1] === '$') {
      const close = sql.indexOf('$$', i + 2);
      i = close === -1 ? sql.length : close + 2;
      continue;
    }
    if (c === ';') {
      push(i);
      start = i + 1;
    }
    i++;
  }
  push(sql.length);
  return spans;
}

/**
 * The statement the cursor is in. A cursor after a statement's ';' on the same line (or in blank
 * space after the last statement) means the statement before it, as in Harlequin and DBeaver.
 */
export function statementAt(sql: string, offset: number): StatementSpan | undefined {
  const spans = splitStatements(sql);
  if (spans.length === 0) return undefined;
  const inside = spans.find((s) => offset >= s.start && offset <= s.end);
  if (inside && sql.slice(inside.start, offset).trim() !== '') return inside;
  const before = [...spans].reverse().find((s) => s.end < offset);
  if (before && !sql.slice(before.end + 1, offset).includes('\n')) return before;
  return inside ?? before ?? spans.find((s) => s.start >= offset);
}
