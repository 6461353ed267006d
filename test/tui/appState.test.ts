import { describe, expect, it } from 'vitest';
import {
  appReducer,
  createAppState,
  nextSort,
  rowCountText,
  type AppAction,
  type AppState,
} from '../../src/tui/appState.js';
import { scrollLeftFor, visibleColumns } from '../../src/tui/gridLayout.js';

const apply = (s: AppState, ...actions: AppAction[]) => actions.reduce(appReducer, s);
const page = (rows: number, cols = 3, hasMore = false) => ({
  columns: Array.from({ length: cols }, (_, i) => `c${i}`),
  types: Array.from({ length: cols }, () => 'VARCHAR'),
  rows: Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => `r${r}c${c}`)),
  hasMore,
});
const ready = (rows: number, cols = 3, hasMore = false): AppAction => ({
  type: 'resultReady',
  page: page(rows, cols, hasMore),
  sql: 'q',
  baseSql: 'q',
  title: 'query',
  elapsedMs: 5,
  push: true,
});

describe('app reducer', () => {
  it('says "500 of >500 rows" when more rows exist, and appends fetched pages', () => {
    let s = apply(createAppState(0), ready(500, 3, true));
    expect(rowCountText(s.result!)).toBe('500 of >500 rows');
    s = apply(s, { type: 'moreRows', rows: page(20).rows, hasMore: false, capped: false, elapsedMs: 1 });
    expect(rowCountText(s.result!)).toBe('520 rows');
  });
  it('keeps the grid cursor inside the result and scrolls to keep it visible', () => {
    let s = apply(createAppState(0), { type: 'gridViewport', height: 10, width: 40 }, ready(100));
    s = apply(s, { type: 'gridMove', rows: 25 });
    expect(s.grid).toMatchObject({ row: 25, top: 16 });
    s = apply(s, { type: 'gridMove', pages: 100 }, { type: 'gridMove', cols: 9 });
    expect(s.grid).toMatchObject({ row: 99, col: 2 });
    s = apply(s, { type: 'gridMove', toRow: 0 });
    expect(s.grid).toMatchObject({ row: 0, top: 0 });
  });
  it('cycles focus, and a cancel or error leaves the last result in place', () => {
    let s = apply(createAppState(0), ready(3));
    expect(apply(s, { type: 'focus', to: 'next' }).focus).toBe('results');
    expect(apply(s, { type: 'focus', to: 'prev' }).focus).toBe('catalog');
    s = apply(
      s,
      { type: 'runStarted', kind: 'query', label: 'running', at: 10 },
      { type: 'runCancelled', elapsedMs: 1500 },
    );
    expect(s.status.running).toBeUndefined();
    expect(s.status.message).toMatch(/cancelled after 1.5 s/);
    expect(s.result?.rows).toHaveLength(3);
    s = apply(s, { type: 'runFailed', error: 'syntax error: at or near "FORM"', elapsedMs: 1 });
    expect(s.status.error).toContain('FORM');
  });
  it('sorts ascending, then descending, then not at all', () => {
    expect(nextSort(undefined, 'a')).toEqual({ column: 'a', direction: 'asc' });
    expect(nextSort({ column: 'a', direction: 'asc' }, 'a')).toEqual({ column: 'a', direction: 'desc' });
    expect(nextSort({ column: 'a', direction: 'desc' }, 'a')).toBeUndefined();
    expect(nextSort({ column: 'a', direction: 'desc' }, 'b')).toEqual({ column: 'b', direction: 'asc' });
  });
});

describe('grid layout', () => {
  it('keeps the first column frozen while scrolling right', () => {
    const widths = [10, 10, 10, 10, 10, 10];
    expect(visibleColumns(widths, 1, 33)).toEqual([0, 1, 2]);
    expect(visibleColumns(widths, 1, 36)).toEqual([0, 1, 2, 3]); // the last one cut
    const left = scrollLeftFor(widths, 5, 1, 33);
    expect(visibleColumns(widths, left, 33)).toEqual([0, 4, 5]);
  });
});
