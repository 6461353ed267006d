import type { Cell, QueryPage } from '../db/queryPage.js';
import type { CatalogRelation } from '../db/readCatalog.js';
import { columnWidths, scrollLeftFor, scrollTopFor } from './gridLayout.js';

/**
 * The workbench's state apart from the editor: focus, the result on screen and where the grid
 * cursor is, the status line, catalog and dedupe panel. Pure reducer, tested without Ink.
 */
export type Focus = 'editor' | 'results' | 'catalog';
export const focusOrder: Focus[] = ['editor', 'results', 'catalog'];

export type Overlay = { kind: 'help' } | { kind: 'detail'; scroll: number } | { kind: 'dedupe' };

export type Sort = { column: string; direction: 'asc' | 'desc' };

export interface ResultState {
  /** What produced the grid (sorting applied). */
  sql: string;
  /** The query before sorting: sorts and profiles start from it. */
  baseSql: string;
  title: string;
  columns: string[];
  types: string[];
  rows: Cell[][];
  widths: number[];
  hasMore: boolean;
  /** The buffer cap was reached: fetch-more stops, export still covers everything. */
  capped: boolean;
  sort?: Sort;
  elapsedMs: number;
}

export interface GridState {
  row: number;
  col: number;
  top: number;
  left: number;
  /** Data rows and character columns the grid has on screen. */
  height: number;
  width: number;
}

export type RunKind = 'query' | 'more' | 'export' | 'dedupe';

export interface StatusState {
  running?: { kind: RunKind; label: string; startedAt: number };
  message?: string;
  error?: string;
}

export interface DedupeGroup {
  vehicleId: string;
  timestamp: string;
  candidates: number;
  conflicting: boolean;
  differing: string;
  timestampUs: number;
}

export interface DedupeState {
  groups: DedupeGroup[];
  selected: number;
  candidates?: QueryPage;
  left: number;
}

export interface AppState {
  focus: Focus;
  overlay?: Overlay;
  result?: ResultState;
  grid: GridState;
  status: StatusState;
  catalog: { relations: CatalogRelation[]; selected: number };
  dedupe: DedupeState;
  /** Earlier results (as SQL, re-run on back). */
  backStack: { sql: string; baseSql: string; title: string; sort?: Sort }[];
  now: number;
}

export type AppAction =
  | { type: 'focus'; to: Focus | 'next' | 'prev' }
  | { type: 'overlay'; overlay?: Overlay }
  | { type: 'runStarted'; kind: RunKind; label: string; at: number }
  | {
      type: 'resultReady';
      page: QueryPage;
      sql: string;
      baseSql: string;
      title: string;
      sort?: Sort;
      elapsedMs: number;
      /** Remember the current result for 'back'. */
      push: boolean;
    }
  | { type: 'statementDone'; message: string; elapsedMs: number }
  | { type: 'runFailed'; error: string; elapsedMs: number }
  | { type: 'runCancelled'; elapsedMs: number }
  | { type: 'moreRows'; rows: Cell[][]; hasMore: boolean; capped: boolean; elapsedMs: number }
  | { type: 'exported'; file: string; rows: number; elapsedMs: number }
  | { type: 'popBack' }
  | { type: 'message'; text: string; error?: boolean }
  | { type: 'gridMove'; rows?: number; cols?: number; pages?: number; toRow?: number; toCol?: number }
  | { type: 'gridViewport'; height: number; width: number }
  | { type: 'detailScroll'; by: number }
  | { type: 'catalogLoaded'; relations: CatalogRelation[] }
  | { type: 'catalogMove'; by: number }
  | { type: 'dedupeGroups'; groups: DedupeGroup[] }
  | { type: 'dedupeMove'; by: number }
  | { type: 'dedupeCandidates'; page: QueryPage }
  | { type: 'dedupeScroll'; by: number }
  | { type: 'tick'; now: number };

export function createAppState(now = Date.now()): AppState {
  return {
    focus: 'editor',
    grid: { row: 0, col: 0, top: 0, left: 0, height: 10, width: 80 },
    status: {},
    catalog: { relations: [], selected: 0 },
    dedupe: { groups: [], selected: 0, left: 0 },
    backStack: [],
    now,
  };
}

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "500 of >500 rows", "12 rows". */
export function rowCountText(r: ResultState): string {
  const n = r.rows.length.toLocaleString('en-US');
  return r.hasMore ? `${n} of >${n} rows` : `${n} row${r.rows.length === 1 ? '' : 's'}`;
}

function clampGrid(g: GridState, r: ResultState | undefined): GridState {
  const rows = r?.rows.length ?? 0;
  const cols = r?.columns.length ?? 0;
  const row = Math.max(0, Math.min(g.row, rows - 1));
  const col = Math.max(0, Math.min(g.col, cols - 1));
  const top = Math.max(0, scrollTopFor(row, Math.min(g.top, Math.max(0, rows - g.height)), g.height));
  const left = r ? scrollLeftFor(r.widths, col, g.left, g.width) : 0;
  return { ...g, row, col, top, left };
}

function stopped(s: AppState): StatusState {
  const { running: _r, ...rest } = s.status;
  return rest;
}

export function appReducer(s: AppState, a: AppAction): AppState {
  switch (a.type) {
    case 'focus': {
      if (a.to !== 'next' && a.to !== 'prev') return { ...s, focus: a.to };
      const i = focusOrder.indexOf(s.focus);
      const step = a.to === 'next' ? 1 : focusOrder.length - 1;
      return { ...s, focus: focusOrder[(i + step) % focusOrder.length]! };
    }
    case 'overlay': {
      const { overlay: _o, ...rest } = s;
      return a.overlay ? { ...s, overlay: a.overlay } : rest;
    }
    case 'runStarted':
      return { ...s, now: a.at, status: { running: { kind: a.kind, label: a.label, startedAt: a.at } } };
    case 'resultReady': {
      const result: ResultState = {
        sql: a.sql,
        baseSql: a.baseSql,
        title: a.title,
        columns: a.page.columns,
        types: a.page.types,
        rows: a.page.rows,
        widths: columnWidths(a.page.columns, a.page.rows),
        hasMore: a.page.hasMore,
        capped: false,
        ...(a.sort ? { sort: a.sort } : {}),
        elapsedMs: a.elapsedMs,
      };
      const backStack =
        a.push && s.result
          ? [
              ...s.backStack,
              {
                sql: s.result.sql,
                baseSql: s.result.baseSql,
                title: s.result.title,
                ...(s.result.sort ? { sort: s.result.sort } : {}),
              },
            ].slice(-20)
          : s.backStack;
      // A re-sort keeps the cursor on the same column; a new query starts at the top left.
      const sameShape = s.result && a.sort !== undefined && s.result.baseSql === a.baseSql;
      const grid = sameShape ? { ...s.grid, row: 0, top: 0 } : { ...s.grid, row: 0, col: 0, top: 0, left: 0 };
      return { ...s, result, backStack, grid: clampGrid(grid, result), status: {} };
    }
    case 'statementDone':
      return { ...s, status: { message: `${a.message} (${formatElapsed(a.elapsedMs)})` } };
    case 'runFailed':
      return { ...s, status: { error: a.error } };
    case 'runCancelled':
      return {
        ...s,
        status: {
          message: `cancelled after ${formatElapsed(a.elapsedMs)}; the previous result is still shown`,
        },
      };
    case 'moreRows': {
      if (!s.result) return { ...s, status: stopped(s) };
      const result = {
        ...s.result,
        rows: [...s.result.rows, ...a.rows],
        hasMore: a.hasMore,
        capped: a.capped,
      };
      const message = a.capped
        ? `holding ${result.rows.length.toLocaleString('en-US')} rows, the most kept in memory; export (e/E) writes the whole result`
        : `fetched ${a.rows.length.toLocaleString('en-US')} more rows (${formatElapsed(a.elapsedMs)})`;
      return { ...s, result, status: { message } };
    }
    case 'exported':
      return {
        ...s,
        status: {
          message: `exported ${a.rows.toLocaleString('en-US')} rows to ${a.file} (${formatElapsed(a.elapsedMs)})`,
        },
      };
    case 'popBack':
      return { ...s, backStack: s.backStack.slice(0, -1) };
    case 'message':
      return {
        ...s,
        status: {
          ...stopped(s),
          ...(a.error ? { error: a.text } : { message: a.text }),
          ...(s.status.running ? { running: s.status.running } : {}),
        },
      };
    case 'gridMove': {
      if (!s.result) return s;
      const g = { ...s.grid };
      if (a.toRow !== undefined) g.row = a.toRow;
      if (a.toCol !== undefined) g.col = a.toCol;
      if (a.rows) g.row += a.rows;
      if (a.cols) g.col += a.cols;
      if (a.pages) g.row += a.pages * g.height;
      return { ...s, grid: clampGrid(g, s.result) };
    }
    case 'gridViewport': {
      if (s.grid.height === a.height && s.grid.width === a.width) return s;
      return {
        ...s,
        grid: clampGrid({ ...s.grid, height: Math.max(1, a.height), width: Math.max(10, a.width) }, s.result),
      };
    }
    case 'detailScroll': {
      if (s.overlay?.kind !== 'detail') return s;
      const max = Math.max(0, (s.result?.columns.length ?? 1) - 1);
      return {
        ...s,
        overlay: { kind: 'detail', scroll: Math.max(0, Math.min(max, s.overlay.scroll + a.by)) },
      };
    }
    case 'catalogLoaded':
      return {
        ...s,
        catalog: {
          relations: a.relations,
          selected: Math.min(s.catalog.selected, Math.max(0, catalogEntries(a.relations).length - 1)),
        },
      };
    case 'catalogMove': {
      const n = catalogEntries(s.catalog.relations).length;
      return {
        ...s,
        catalog: { ...s.catalog, selected: Math.max(0, Math.min(n - 1, s.catalog.selected + a.by)) },
      };
    }
    case 'dedupeGroups': {
      const { candidates: _c, ...rest } = s.dedupe;
      return { ...s, dedupe: { ...rest, groups: a.groups, selected: 0, left: 0 }, status: stopped(s) };
    }
    case 'dedupeMove': {
      const selected = Math.max(0, Math.min(s.dedupe.groups.length - 1, s.dedupe.selected + a.by));
      if (selected === s.dedupe.selected) return s;
      const { candidates: _c, ...rest } = s.dedupe;
      return { ...s, dedupe: { ...rest, selected, left: 0 } };
    }
    case 'dedupeCandidates':
      return { ...s, dedupe: { ...s.dedupe, candidates: a.page }, status: stopped(s) };
    case 'dedupeScroll': {
      const n = s.dedupe.candidates?.rows.length ?? 0;
      return {
        ...s,
        dedupe: { ...s.dedupe, left: Math.max(0, Math.min(Math.max(0, n - 1), s.dedupe.left + a.by)) },
      };
    }
    case 'tick':
      return { ...s, now: a.now };
  }
}

/** The catalog as a flat list: each relation followed by its columns. */
export interface CatalogEntry {
  kind: 'relation' | 'column';
  relation: CatalogRelation;
  name: string;
  type?: string;
}

export function catalogEntries(relations: CatalogRelation[]): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const r of relations) {
    out.push({ kind: 'relation', relation: r, name: r.schema === 'main' ? r.name : `${r.schema}.${r.name}` });
    for (const c of r.columns) out.push({ kind: 'column', relation: r, name: c.name, type: c.type });
  }
  return out;
}

/** The next sort for a column: ascending, then descending, then unsorted. */
export function nextSort(current: Sort | undefined, column: string): Sort | undefined {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  if (current.direction === 'asc') return { column, direction: 'desc' };
  return undefined;
}
