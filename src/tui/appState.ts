import type { Cell, QueryPage } from '../db/queryPage.js';
import type {
  Candidates,
  CatalogRelation,
  Chart,
  DedupeGroup,
  Dot,
  MapExtent,
} from '../db/workbenchQueries.js';
import { columnWidths, scrollLeftFor, scrollTopFor } from './gridLayout.js';
import { fitView, panCells, zoomAt, type MapView } from './mapModel.js';

/**
 * The workbench's state apart from the editor: focus, the result on screen and where the grid
 * cursor is, the status line, catalog and dedupe panel. Pure reducer, tested without Ink.
 */
export type Focus = 'editor' | 'results' | 'catalog';
export const focusOrder: Focus[] = ['editor', 'results', 'catalog'];

export interface ChartState {
  kind: 'chart';
  column: string;
  type: string;
  chart?: Chart;
}

export interface MapState {
  kind: 'map';
  latitude: string;
  longitude: string;
  /** The column whose values colour the points, if any. */
  colour?: string;
  /** Columns the colour can cycle through (the result's others). */
  colourChoices: string[];
  extent?: MapExtent;
  view?: MapView;
  /** The map cursor, in cells of the map area. */
  cursor: { x: number; y: number };
  /** The other corner of a box being selected. */
  anchor?: { x: number; y: number };
  dots?: Dot[];
}

export interface HistorySearch {
  kind: 'history';
  query: string;
  selected: number;
}

export type Overlay =
  | { kind: 'help' }
  | { kind: 'detail'; scroll: number }
  | { kind: 'dedupe' }
  | ChartState
  | MapState
  | HistorySearch;

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

export type RunKind = 'query' | 'more' | 'export' | 'dedupe' | 'chart' | 'map' | 'copy';

export interface StatusState {
  running?: { kind: RunKind; label: string; startedAt: number };
  message?: string;
  error?: string;
}

export interface DedupeState {
  groups: DedupeGroup[];
  selected: number;
  candidates?: Candidates;
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
  /** The overlay area (chart, map, detail…) inside its border. */
  pane: { width: number; height: number };
  now: number;
}

/** The map's drawing area in cells: the overlay less its title and its two bottom lines. */
export function mapCells(s: AppState): { w: number; h: number } {
  return { w: Math.max(10, s.pane.width), h: Math.max(3, s.pane.height - 3) };
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
  | { type: 'gridViewport'; height: number; width: number; paneWidth?: number; paneHeight?: number }
  | { type: 'detailScroll'; by: number }
  | { type: 'catalogLoaded'; relations: CatalogRelation[] }
  | { type: 'catalogMove'; by: number }
  | { type: 'dedupeGroups'; groups: DedupeGroup[] }
  | { type: 'dedupeMove'; by: number }
  | { type: 'dedupeCandidates'; candidates: Candidates }
  | { type: 'chartReady'; chart: Chart }
  | { type: 'chartColumn'; by: number }
  | { type: 'mapExtent'; extent: MapExtent }
  | { type: 'mapDots'; dots: Dot[] }
  | { type: 'mapMove'; dx: number; dy: number }
  | { type: 'mapPan'; dx: number; dy: number }
  | { type: 'mapZoom'; factor: number }
  | { type: 'mapFit' }
  | { type: 'mapAnchor' }
  | { type: 'mapColour' }
  | { type: 'historyQuery'; text?: string; backspace?: boolean }
  | { type: 'historyMove'; by: number }
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
    pane: { width: 78, height: 20 },
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
        widths: columnWidths(a.page.columns, a.page.rows, a.page.types),
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
      const pane = { width: a.paneWidth ?? s.pane.width, height: a.paneHeight ?? s.pane.height };
      if (
        s.grid.height === a.height &&
        s.grid.width === a.width &&
        pane.width === s.pane.width &&
        pane.height === s.pane.height
      )
        return s;
      return {
        ...s,
        pane,
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
      return { ...s, dedupe: { ...s.dedupe, candidates: a.candidates }, status: stopped(s) };
    case 'chartReady':
      if (s.overlay?.kind !== 'chart') return { ...s, status: stopped(s) };
      return { ...s, overlay: { ...s.overlay, chart: a.chart }, status: stopped(s) };
    case 'chartColumn': {
      if (s.overlay?.kind !== 'chart' || !s.result) return s;
      const n = s.result.columns.length;
      const col = (((s.result.columns.indexOf(s.overlay.column) + a.by) % n) + n) % n;
      return {
        ...s,
        grid: clampGrid({ ...s.grid, col }, s.result),
        overlay: { kind: 'chart', column: s.result.columns[col]!, type: s.result.types[col]! },
      };
    }
    case 'mapExtent':
    case 'mapDots':
    case 'mapMove':
    case 'mapPan':
    case 'mapZoom':
    case 'mapFit':
    case 'mapAnchor':
    case 'mapColour': {
      if (s.overlay?.kind !== 'map') return s;
      const map = mapReducer(s.overlay, a, mapCells(s));
      const status = a.type === 'mapExtent' || a.type === 'mapDots' ? stopped(s) : s.status;
      return map === s.overlay && status === s.status ? s : { ...s, overlay: map, status };
    }
    case 'historyQuery': {
      if (s.overlay?.kind !== 'history') return s;
      const query = a.backspace ? s.overlay.query.slice(0, -1) : s.overlay.query + (a.text ?? '');
      return { ...s, overlay: { ...s.overlay, query, selected: 0 } };
    }
    case 'historyMove':
      if (s.overlay?.kind !== 'history') return s;
      return { ...s, overlay: { ...s.overlay, selected: Math.max(0, s.overlay.selected + a.by) } };
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

type MapAction = Extract<
  AppAction,
  { type: 'mapExtent' | 'mapDots' | 'mapMove' | 'mapPan' | 'mapZoom' | 'mapFit' | 'mapAnchor' | 'mapColour' }
>;

/** The map overlay: moving the cursor past an edge pans; zoom keeps the point under the cursor. */
export function mapReducer(m: MapState, a: MapAction, cells: { w: number; h: number }): MapState {
  const centre = { x: Math.floor(cells.w / 2), y: Math.floor(cells.h / 2) };
  switch (a.type) {
    case 'mapExtent': {
      const { dots: _d, ...rest } = m;
      const view = Number.isFinite(a.extent.south) ? fitView(a.extent, cells.w, cells.h) : undefined;
      return { ...rest, extent: a.extent, ...(view ? { view } : {}), cursor: centre };
    }
    case 'mapDots':
      return { ...m, dots: a.dots };
    case 'mapMove': {
      if (!m.view) return m;
      const x = m.cursor.x + a.dx;
      const y = m.cursor.y + a.dy;
      const cx = Math.max(0, Math.min(cells.w - 1, x));
      const cy = Math.max(0, Math.min(cells.h - 1, y));
      // Past an edge the map moves instead of the cursor (and a box being drawn keeps its corner on the ground).
      const px = x - cx;
      const py = y - cy;
      if (px === 0 && py === 0) return { ...m, cursor: { x: cx, y: cy } };
      return {
        ...m,
        view: panCells(m.view, px, py),
        cursor: { x: cx, y: cy },
        ...(m.anchor ? { anchor: { x: m.anchor.x - px, y: m.anchor.y - py } } : {}),
      };
    }
    case 'mapPan': {
      if (!m.view) return m;
      const dx = Math.round(a.dx * cells.w);
      const dy = Math.round(a.dy * cells.h);
      return {
        ...m,
        view: panCells(m.view, dx, dy),
        ...(m.anchor ? { anchor: { x: m.anchor.x - dx, y: m.anchor.y - dy } } : {}),
      };
    }
    case 'mapZoom': {
      if (!m.view) return m;
      const { anchor: _a, ...rest } = m;
      return { ...rest, view: zoomAt(m.view, cells.w, cells.h, m.cursor.x, m.cursor.y, a.factor) };
    }
    case 'mapFit': {
      if (!m.extent || !Number.isFinite(m.extent.south)) return m;
      const { anchor: _a, ...rest } = m;
      return { ...rest, view: fitView(m.extent, cells.w, cells.h), cursor: centre };
    }
    case 'mapAnchor': {
      if (m.anchor) {
        const { anchor: _a, ...rest } = m;
        return rest;
      }
      return { ...m, anchor: m.cursor };
    }
    case 'mapColour': {
      const choices: (string | undefined)[] = [undefined, ...m.colourChoices];
      const next = choices[(choices.indexOf(m.colour) + 1) % choices.length];
      const { colour: _c, dots: _d, ...rest } = m;
      return next ? { ...rest, colour: next } : rest;
    }
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

/** History entries containing `query` (any case), newest first, each text once. */
export function historyMatches(history: readonly string[], query: string): string[] {
  const q = query.toLowerCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (seen.has(h) || !h.toLowerCase().includes(q)) continue;
    seen.add(h);
    out.push(h);
  }
  return out;
}
