import { describe, expect, it } from 'vitest';
import type { CatalogRelation } from '../../src/db/workbenchQueries.js';
import {
  candidatesFor,
  completionAt,
  rankCompletions,
  relationsNamed,
  type CompletionItem,
} from '../../src/tui/completion.js';
import {
  createWorkbenchState,
  workbenchReducer,
  type WorkbenchAction,
} from '../../src/tui/workbenchStore.js';
import { editorText } from '../../src/tui/editorState.js';

const relations: CatalogRelation[] = [
  {
    schema: 'main',
    name: 'vehicle_positions',
    kind: 'view',
    columns: [
      { name: 'vehicle_id', type: 'VARCHAR' },
      { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'route_id', type: 'VARCHAR' },
    ],
  },
  { schema: 'main', name: 'stops', kind: 'table', columns: [{ name: 'stop_name', type: 'VARCHAR' }] },
];
const words = { keywords: ['select', 'from', 'where'], functions: ['round', 'row_number', 'from_base64'] };
const item = (text: string, kind: CompletionItem['kind']): CompletionItem => ({ text, kind, detail: '' });

describe('completion ranking', () => {
  it('puts prefix matches before fuzzy ones, columns and tables before keywords before functions', () => {
    const ranked = rankCompletions('ro', [
      item('row_number', 'function'),
      item('from', 'keyword'),
      item('round', 'function'),
      item('route_id', 'column'),
      item('rows', 'keyword'),
    ]).map((c) => c.text);
    // prefix: route_id (column), rows (keyword), round, row_number (functions, shorter first); fuzzy: from
    expect(ranked).toEqual(['route_id', 'rows', 'round', 'row_number', 'from']);
  });
  it('matches fuzzily with the fewest gaps first, ignoring case', () => {
    // 'vid' in vehicle_id: v, 2 letters, i, 5 letters, d (7 gaps); in avoid: 'a' before v and 'o' (2).
    const ranked = rankCompletions('VID', [
      item('vehicle_id', 'column'),
      item('avoid', 'column'),
      item('stop_id', 'column'),
    ]);
    expect(ranked.map((c) => c.text)).toEqual(['avoid', 'vehicle_id']);
  });
  it('offers nothing for an empty word or when the only match is the word itself', () => {
    expect(rankCompletions('', [item('a', 'column')])).toEqual([]);
    expect(rankCompletions('from', [item('from', 'keyword')])).toEqual([]);
  });
  it("offers the columns of the tables the statement names, or every table's when it names none", () => {
    expect(relationsNamed('select x from STOPS s', relations).map((r) => r.name)).toEqual(['stops']);
    const named = candidatesFor('select st from stops', relations, words).filter((c) => c.kind === 'column');
    expect(named.map((c) => c.text)).toEqual(['stop_name']);
    const all = candidatesFor('select ', relations, words).filter((c) => c.kind === 'column');
    expect(all.map((c) => c.text)).toEqual(['vehicle_id', 'timestamp', 'route_id', 'stop_name']);
  });
  it('completes `select vehicle_i` to vehicle_id first, and not inside a string or comment', () => {
    const c = completionAt('select vehicle_i', 16, relations, words)!;
    expect(c).toMatchObject({ start: 7, prefix: 'vehicle_i' });
    expect(c.items[0]).toMatchObject({ text: 'vehicle_id', kind: 'column' });
    expect(completionAt('select r', 8, relations, words)).toBeUndefined(); // one letter: no list yet
    expect(completionAt("select 'vehicle_i", 17, relations, words)).toBeUndefined();
    expect(completionAt('-- vehicle_i', 12, relations, words)).toBeUndefined();
  });
});

describe('completion in the store', () => {
  const apply = (...actions: WorkbenchAction[]) => {
    let s = createWorkbenchState('');
    s = workbenchReducer(s, { type: 'app', action: { type: 'catalogLoaded', relations } });
    s = workbenchReducer(s, { type: 'words', words });
    return actions.reduce(workbenchReducer, s);
  };
  it('opens while typing, moves, accepts with one undo step, and closes on Esc', () => {
    let s = apply({ type: 'editor', action: { type: 'insert', text: 'select ro' }, typed: true });
    expect(s.completion?.items.map((i) => i.text).slice(0, 2)).toEqual(['route_id', 'round']);
    s = workbenchReducer(s, { type: 'completion', action: 'next' });
    s = workbenchReducer(s, { type: 'completion', action: 'accept' });
    expect(editorText(s.editor)).toBe('select round');
    expect(s.completion).toBeUndefined();
    s = workbenchReducer(s, { type: 'editor', action: { type: 'undo' } });
    expect(editorText(s.editor)).toBe('select ro');
    s = workbenchReducer(s, { type: 'editor', action: { type: 'insert', text: 'u' }, typed: true });
    expect(s.completion?.items[0]?.text).toBe('route_id');
    s = workbenchReducer(s, { type: 'completion', action: 'close' });
    expect(s.completion).toBeUndefined();
  });
  it('keywords take the case typed; a paste or a cursor move opens nothing', () => {
    let s = apply({ type: 'editor', action: { type: 'insert', text: 'SEL' }, typed: true });
    s = workbenchReducer(s, { type: 'completion', action: 'accept' });
    expect(editorText(s.editor)).toBe('SELECT');
    s = apply({ type: 'editor', action: { type: 'insert', text: 'select ro' } });
    expect(s.completion).toBeUndefined();
    s = apply(
      { type: 'editor', action: { type: 'insert', text: 'select ro' }, typed: true },
      { type: 'editor', action: { type: 'move', to: 'left' }, typed: true },
    );
    expect(s.completion).toBeUndefined();
  });
});
