import type { CatalogRelation } from '../db/workbenchQueries.js';
import { statementAt, tokenize, tokenAt } from './sqlTokens.js';

/**
 * Completion of the word before the cursor: columns of the tables the statement names (all columns
 * when it names none), the catalog's tables and views, DuckDB's functions and the SQL keywords.
 * Prefix matches come first, then fuzzy ones (the letters in order, with gaps). Pure.
 */
export type CompletionKind = 'column' | 'table' | 'view' | 'keyword' | 'function';

export interface CompletionItem {
  text: string;
  kind: CompletionKind;
  /** Where it comes from: the column's table and type, 'function', 'keyword'. */
  detail: string;
}

export interface CompletionWords {
  keywords: string[];
  functions: string[];
}

export interface CompletionState {
  /** Offset where the word being completed starts, and the word typed so far. */
  start: number;
  prefix: string;
  items: CompletionItem[];
  selected: number;
}

/** The list shows at most this many entries. */
export const completionLimit = 8;

const wordChar = /[A-Za-z0-9_\u0080-\uffff]/;

/** The identifier the cursor ends: [start, offset). */
export function wordBefore(text: string, offset: number): { start: number; prefix: string } {
  let s = offset;
  while (s > 0 && wordChar.test(text[s - 1]!)) s--;
  return { start: s, prefix: text.slice(s, offset) };
}

/** The catalog relations a statement names (plain names compare case-insensitively, "quoted" exactly). */
export function relationsNamed(statement: string, relations: readonly CatalogRelation[]): CatalogRelation[] {
  const named = new Set<string>();
  const quoted = new Set<string>();
  for (const t of tokenize(statement)) {
    const word = statement.slice(t.start, t.end);
    if (t.kind === 'identifier' || t.kind === 'keyword') named.add(word.toLowerCase());
    else if (t.kind === 'quotedIdentifier') quoted.add(word.slice(1, -1).replace(/""/g, '"'));
  }
  return relations.filter((r) => named.has(r.name.toLowerCase()) || quoted.has(r.name));
}

const kindRank: Record<CompletionKind, number> = { column: 0, table: 1, view: 1, keyword: 2, function: 3 };

/** Gaps between the prefix's letters when they appear in order in `word`; undefined if they do not. */
function fuzzyGaps(prefix: string, word: string): number | undefined {
  let gaps = 0;
  let at = -1;
  for (const ch of prefix) {
    const next = word.indexOf(ch, at + 1);
    if (next === -1) return undefined;
    if (at !== -1) gaps += next - at - 1;
    at = next;
  }
  return gaps + (word.indexOf(prefix[0]!) === 0 ? 0 : 1);
}

/**
 * Ranks candidates for a prefix: every prefix match (by kind: columns, tables, keywords, functions;
 * then shorter first), then fuzzy matches (fewest gaps first). The word itself alone is no offer.
 */
export function rankCompletions(
  prefix: string,
  candidates: readonly CompletionItem[],
  limit = completionLimit,
): CompletionItem[] {
  const p = prefix.toLowerCase();
  if (p === '') return [];
  const seen = new Set<string>();
  const prefixed: CompletionItem[] = [];
  const fuzzy: { item: CompletionItem; gaps: number }[] = [];
  for (const c of candidates) {
    const w = c.text.toLowerCase();
    if (seen.has(w)) continue;
    if (w.startsWith(p)) {
      seen.add(w);
      prefixed.push(c);
    }
  }
  for (const c of candidates) {
    const w = c.text.toLowerCase();
    if (seen.has(w)) continue;
    const gaps = fuzzyGaps(p, w);
    if (gaps !== undefined) {
      seen.add(w);
      fuzzy.push({ item: c, gaps });
    }
  }
  const byKindThenLength = (a: CompletionItem, b: CompletionItem) =>
    kindRank[a.kind] - kindRank[b.kind] || a.text.length - b.text.length || a.text.localeCompare(b.text);
  prefixed.sort(byKindThenLength);
  fuzzy.sort((a, b) => a.gaps - b.gaps || byKindThenLength(a.item, b.item));
  const out = [...prefixed, ...fuzzy.map((f) => f.item)];
  if (out.length === 1 && out[0]!.text.toLowerCase() === p) return [];
  return out.slice(0, limit);
}

/** Every candidate for a statement: its tables' columns (or all), relations, keywords, functions. */
export function candidatesFor(
  statement: string,
  relations: readonly CatalogRelation[],
  words: CompletionWords,
): CompletionItem[] {
  const named = relationsNamed(statement, relations);
  const columnsOf = named.length > 0 ? named : relations;
  const out: CompletionItem[] = [];
  for (const r of columnsOf)
    for (const c of r.columns) out.push({ text: c.name, kind: 'column', detail: `${r.name} ${c.type}` });
  for (const r of relations) out.push({ text: r.name, kind: r.kind, detail: r.kind });
  for (const k of words.keywords) out.push({ text: k, kind: 'keyword', detail: 'keyword' });
  for (const f of words.functions) out.push({ text: f, kind: 'function', detail: 'function' });
  return out;
}

/**
 * The completion list for the cursor at `offset`, or undefined where none applies: fewer than two
 * letters before the cursor, or the cursor inside a string, quoted identifier, comment or number.
 */
export function completionAt(
  text: string,
  offset: number,
  relations: readonly CatalogRelation[],
  words: CompletionWords,
): CompletionState | undefined {
  const { start, prefix } = wordBefore(text, offset);
  // One letter is too little to offer anything useful (and an alias such as `p` then Enter must
  // stay a new line).
  if (prefix.length < 2 || /^[0-9]/.test(prefix)) return undefined;
  const token = tokenAt(tokenize(text), offset);
  if (token && token.kind !== 'identifier' && token.kind !== 'keyword') return undefined;
  const statement = statementAt(text, offset)?.text ?? text;
  const items = rankCompletions(prefix, candidatesFor(statement, relations, words));
  return items.length > 0 ? { start, prefix, items, selected: 0 } : undefined;
}

/** The text an accepted entry inserts: keywords in the case the user typed, names quoted if needed. */
export function insertionText(item: CompletionItem, prefix: string, quote: (name: string) => string): string {
  if (item.kind === 'keyword')
    return prefix === prefix.toUpperCase() ? item.text.toUpperCase() : item.text.toLowerCase();
  if (item.kind === 'function') return item.text;
  return /^[a-z_][a-z0-9_]*$/.test(item.text) ? item.text : quote(item.text);
}
