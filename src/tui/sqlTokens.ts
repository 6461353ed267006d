/**
 * A small SQL tokenizer for highlighting, statement splitting and completion. It follows DuckDB's
 * (PostgreSQL's) lexer where it matters for where things end: '…' strings with '' inside, E'…'
 * strings where a backslash escapes the next character, "…" identifiers with "" inside, -- comments
 * to the end of the line, /* … *\/ comments that nest, and $tag$…$tag$ strings. Unterminated ones
 * run to the end of the text. Pure; tested against DuckDB itself.
 */
export type TokenKind =
  | 'keyword'
  | 'identifier'
  | 'quotedIdentifier'
  | 'string'
  | 'number'
  | 'comment'
  | 'operator'
  | 'punctuation'
  | 'parameter'
  | 'whitespace';

export interface Token {
  kind: TokenKind;
  /** [start, end) offsets in the text. */
  start: number;
  end: number;
  /** The token ends inside a string, identifier or comment (the text stops first). */
  unterminated?: boolean;
}

/** Words highlighted as keywords: the reserved words and the common clause words of DuckDB SQL. */
export const sqlKeywords = new Set(
  `all alter analyze and any array as asc asof attach between both by case cast check collate column
constraint copy create cross cube current_date current_time current_timestamp default delete desc
describe detach distinct do drop else end except exclude exists explain false fetch filter first for
foreign from full function glob grant group grouping having ilike in inner insert install intersect
interval into is join lateral leading left like limit load macro map natural not null nulls offset on
only or order outer over partition pivot positional primary qualify range recursive references
replace returning right rollup row rows sample schema select semi anti set similar some struct summarize
table temp temporary then to trailing true union unique unnest unpivot update using vacuum values view
when where window with within`.split(/\s+/),
);

const identStart = /[A-Za-z_\u0080-\uffff]/;
const identPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const digit = /[0-9]/;

/** End of a '…' string starting at `i` (the quote); with backslash escapes for E'…'. */
function stringEnd(sql: string, i: number, backslash: boolean): { end: number; ok: boolean } {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j]!;
    if (backslash && c === '\\') {
      j += 2;
      continue;
    }
    if (c === "'") {
      if (sql[j + 1] === "'") {
        j += 2;
        continue;
      }
      return { end: j + 1, ok: true };
    }
    j++;
  }
  return { end: sql.length, ok: false };
}

function blockCommentEnd(sql: string, i: number): { end: number; ok: boolean } {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return { end: j, ok: true };
    } else j++;
  }
  return { end: sql.length, ok: false };
}

/** A $tag$ opener at i ($$ or $name$), or undefined ($1 is a parameter). */
function dollarTag(sql: string, i: number): string | undefined {
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/u.exec(sql.slice(i, i + 66));
  return m ? m[0] : undefined;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, ok = true) => {
    out.push(ok ? { kind, start: i, end } : { kind, start: i, end, unterminated: true });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push('whitespace', j);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const e = blockCommentEnd(sql, i);
      push('comment', e.end, e.ok);
    } else if (c === "'") {
      const e = stringEnd(sql, i, false);
      push('string', e.end, e.ok);
    } else if ((c === 'e' || c === 'E') && next === "'") {
      const e = stringEnd(sql, i + 1, true);
      push('string', e.end, e.ok);
    } else if (c === '"') {
      let j = i + 1;
      let ok = false;
      while (j < sql.length) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            j += 2;
            continue;
          }
          j++;
          ok = true;
          break;
        }
        j++;
      }
      push('quotedIdentifier', j, ok);
    } else if (c === '$') {
      const tag = dollarTag(sql, i);
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        push('string', close === -1 ? sql.length : close + tag.length, close !== -1);
      } else if (next !== undefined && digit.test(next)) {
        let j = i + 1;
        while (j < sql.length && digit.test(sql[j]!)) j++;
        push('parameter', j);
      } else push('operator', i + 1);
    } else if (digit.test(c) || (c === '.' && next !== undefined && digit.test(next))) {
      const m = /^(?:0[xX][0-9A-Fa-f_]+|(?:\d[\d_]*)?(?:\.\d[\d_]*|\d[\d_]*\.?)(?:[eE][+-]?\d+)?)/.exec(
        sql.slice(i),
      );
      push('number', i + Math.max(1, m ? m[0].length : 1));
    } else if (identStart.test(c)) {
      let j = i + 1;
      while (j < sql.length && identPart.test(sql[j]!)) j++;
      push(sqlKeywords.has(sql.slice(i, j).toLowerCase()) ? 'keyword' : 'identifier', j);
    } else if (c === '?') {
      push('parameter', i + 1);
    } else if ('(),;[]{}.'.includes(c)) {
      push('punctuation', i + 1);
    } else {
      let j = i + 1;
      while (
        j < sql.length &&
        '+-*/<>=~!@#%^&|`:'.includes(sql[j]!) &&
        !(sql[j] === '-' && sql[j + 1] === '-')
      )
        j++;
      push('operator', j);
    }
  }
  return out;
}

/** A statement's text and its [start, end) offsets in the editor text (end excludes the ';'). */
export interface StatementSpan {
  start: number;
  end: number;
  text: string;
}

/** Splits SQL at top-level semicolons (not those inside strings, identifiers or comments). */
export function splitStatements(sql: string): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let start = 0;
  let hasCode = false;
  const push = (end: number) => {
    if (hasCode) spans.push({ start, end, text: sql.slice(start, end).trim() });
  };
  for (const t of tokenize(sql)) {
    if (t.kind === 'punctuation' && sql[t.start] === ';') {
      push(t.start);
      start = t.end;
      hasCode = false;
    } else if (t.kind !== 'whitespace' && t.kind !== 'comment') hasCode = true;
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

/** The token covering offset (the one that ends at it, when the cursor is just after a word). */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  return tokens.find((t) => offset > t.start && offset <= t.end) ?? tokens.find((t) => t.start === offset);
}
