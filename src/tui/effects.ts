import type { QueryCursor } from '../db/queryPage.js';
import {
  boxQuery,
  chartKindFor,
  frequencyQuery,
  sortedQuery,
  summarizeQuery,
} from '../db/workbenchQueries.js';
import {
  catalogEntries,
  historyMatches,
  mapCells,
  nextSort,
  type AppAction,
  type RunKind,
  type Sort,
} from './appState.js';
import type { WorkbenchBackend } from './backend.js';
import { chartBins } from './chartModel.js';
import { clipboardLimit, toTsv } from './clipboard.js';
import { editorText, offsetOf, selectedText } from './editorState.js';
import type { Effect } from './keyRouter.js';
import { isNumericType } from './gridLayout.js';
import { cellsBox, roundBox, viewGrid } from './mapModel.js';
import { splitStatements, statementAt, tokenize } from './sqlTokens.js';
import { sqlIdent } from '../db/sqlText.js';
import type { WorkbenchStore } from './workbenchStore.js';

/** Rows read per page, and the most rows held in memory for one result. */
export const pageSize = 500;
export const maxBufferedRows = 10_000;
/** The most rows `A` copies (the clipboard takes about 100 kB anyway). */
export const maxCopiedRows = 20_000;

/** What effects need from outside the store and DuckDB: the terminal and the history file. */
export interface EffectIO {
  exit(): void;
  /** Puts text on the system clipboard (OSC 52). */
  copy(text: string): void;
  /** Opens the text in $VISUAL/$EDITOR and resolves with what was saved. */
  editExternally(text: string): Promise<string>;
  /** Appends a query that ran to the lasting history. */
  remember(sql: string): void;
}

const commandWords = new Set(
  'alter attach begin checkpoint commit copy create delete detach drop export import insert install load pragma reset rollback set update use vacuum'.split(
    ' ',
  ),
);

/** The first word of a statement when it is a command rather than a query (CREATE, INSERT, SET…). */
export function commandWord(sql: string): string | undefined {
  const first = tokenize(sql).find((t) => t.kind !== 'whitespace' && t.kind !== 'comment');
  const word = first ? sql.slice(first.start, first.end).toLowerCase() : '';
  return commandWords.has(word) ? word.toUpperCase() : undefined;
}

const latitudeNames = /^(latitude|lat)$/i;
const longitudeNames = /^(longitude|lon|lng|long)$/i;

/**
 * The effect runner: every DuckDB call the workbench makes, one at a time for user queries
 * (guarded: timed, cancellable, errors in words), and the loaders the views ask for (catalog,
 * completion words, dedupe candidates, chart bins, map dots), latest request wins.
 */
export function createEffects(backend: WorkbenchBackend, store: WorkbenchStore, io: EffectIO) {
  const dispatch = (action: AppAction) => store.dispatch({ type: 'app', action });
  const message = (text: string, error = false) =>
    dispatch({ type: 'message', text, ...(error ? { error } : {}) });
  let busy = false;
  let runId = 0;
  let cursor: QueryCursor | undefined;
  const latest: Record<string, number> = {};

  function fail(err: unknown, started: number) {
    const elapsedMs = Date.now() - started;
    if (backend.isInterrupted(err)) dispatch({ type: 'runCancelled', elapsedMs });
    else dispatch({ type: 'runFailed', error: backend.describeError(err), elapsedMs });
  }

  async function guarded(kind: RunKind, label: string, work: (started: number) => Promise<void>) {
    if (busy) {
      message('a query is running: Ctrl+C cancels it', true);
      return;
    }
    busy = true;
    const started = Date.now();
    dispatch({ type: 'runStarted', kind, label, at: started });
    try {
      await work(started);
    } catch (err) {
      fail(err, started);
    } finally {
      busy = false;
    }
  }

  /** A view's data on the side connection: a newer request of the same kind makes older ones moot. */
  async function load(kind: RunKind, label: string, work: (isLatest: () => boolean) => Promise<void>) {
    const id = (latest[kind] = (latest[kind] ?? 0) + 1);
    const isLatest = () => latest[kind] === id;
    const started = Date.now();
    dispatch({ type: 'runStarted', kind, label, at: started });
    try {
      await work(isLatest);
    } catch (err) {
      if (isLatest()) fail(err, started);
    }
  }

  async function refreshCatalog() {
    try {
      dispatch({ type: 'catalogLoaded', relations: await backend.catalog() });
    } catch {
      // The catalog is a convenience; a failure here must not hide the query's own status.
    }
  }

  async function loadWords() {
    try {
      store.dispatch({ type: 'words', words: await backend.completionWords() });
    } catch {
      // Completion then offers names from the catalog only.
    }
  }

  function runQuery(
    sql: string,
    opts: { title: string; baseSql?: string; sort?: Sort; push?: boolean; remember?: boolean },
  ) {
    return guarded('query', 'running', async (started) => {
      const id = ++runId;
      cursor = undefined;
      const opened = await backend.open(sql, pageSize);
      if (id !== runId) return;
      if (opts.remember) {
        store.dispatch({ type: 'editor', action: { type: 'remember', sql } });
        io.remember(sql);
      }
      const last = splitStatements(sql).at(-1)?.text ?? sql;
      const command = opts.remember ? commandWord(last) : undefined;
      if (command) {
        // CREATE, INSERT, SET…: say it is done and keep the last result on screen.
        const count =
          opened.columns.length === 1 && opened.columns[0] === 'Count' ? opened.rows[0]?.[0] : null;
        dispatch({
          type: 'statementDone',
          message: `${command} done${count !== null && count !== undefined ? `: ${Number(count).toLocaleString('en-US')} rows` : ''}`,
          elapsedMs: Date.now() - started,
        });
        void refreshCatalog();
        return;
      }
      cursor = opened;
      dispatch({
        type: 'resultReady',
        page: opened,
        sql,
        baseSql: opts.baseSql ?? sql,
        title: opts.title,
        ...(opts.sort ? { sort: opts.sort } : {}),
        elapsedMs: Date.now() - started,
        push: opts.push ?? false,
      });
      if (opts.remember) void refreshCatalog();
    });
  }

  function needResult(what: string) {
    const r = store.getState().app.result;
    if (!r) message(`run a query first: ${what} works on the current result`, true);
    return r;
  }

  function runText(text: string) {
    const last = splitStatements(text).at(-1)?.text ?? text;
    return runQuery(text, { title: 'query', baseSql: last, push: true, remember: true });
  }

  const handlers: Record<Effect, () => Promise<void> | void> = {
    quit() {
      backend.cancel();
      io.exit();
    },
    cancel() {
      const running = store.getState().app.status.running;
      if (busy || running) backend.cancel();
      else message('nothing is running (Ctrl+Q quits)');
    },
    run() {
      const e = store.getState().editor;
      const text = selectedText(e) ?? statementAt(editorText(e), offsetOf(e.lines, e.cursor))?.text;
      if (!text || text.trim() === '') {
        message('nothing to run: type a SQL statement first', true);
        return;
      }
      return runText(text);
    },
    sort() {
      const s = store.getState().app;
      const result = needResult('sorting');
      const column = result?.columns[s.grid.col];
      if (!result || !column) return;
      const sort = nextSort(result.sort, column);
      return runQuery(sort ? sortedQuery(result.baseSql, column, sort.direction) : result.baseSql, {
        title: result.title,
        baseSql: result.baseSql,
        ...(sort ? { sort } : {}),
      });
    },
    profile() {
      const result = needResult('the profile');
      if (!result) return;
      return runQuery(summarizeQuery(result.baseSql), { title: 'profile (SUMMARIZE)', push: true });
    },
    frequency() {
      const s = store.getState().app;
      const result = needResult('frequencies');
      const column = result?.columns[s.grid.col];
      if (!result || !column) return;
      return runQuery(frequencyQuery(result.baseSql, column), {
        title: `frequencies of ${column}`,
        push: true,
      });
    },
    back() {
      const prev = store.getState().app.backStack.at(-1);
      if (!prev) {
        message('no earlier result');
        return;
      }
      dispatch({ type: 'popBack' });
      return runQuery(prev.sql, {
        title: prev.title,
        baseSql: prev.baseSql,
        ...(prev.sort ? { sort: prev.sort } : {}),
      });
    },
    fetchMore() {
      const result = needResult('fetch-more');
      if (!result) return;
      if (!result.hasMore) {
        message('all rows are shown');
        return;
      }
      const room = maxBufferedRows - result.rows.length;
      const open = cursor;
      if (room <= 0 || !open) {
        message(
          room <= 0
            ? `holding ${maxBufferedRows} rows already; export (e/E) writes the whole result`
            : 'this result is closed: run it again to fetch more',
          true,
        );
        return;
      }
      return guarded('more', 'fetching', async (started) => {
        const next = await open.more(Math.min(pageSize, room));
        dispatch({
          type: 'moreRows',
          rows: next.rows,
          hasMore: next.hasMore,
          capped: result.rows.length + next.rows.length >= maxBufferedRows && next.hasMore,
          elapsedMs: Date.now() - started,
        });
      });
    },
    exportCsv: () => exportAs('csv'),
    exportParquet: () => exportAs('parquet'),
    detail() {
      const s = store.getState().app;
      if (!s.result || s.result.rows.length === 0) {
        message('no row to show');
        return;
      }
      dispatch({ type: 'overlay', overlay: { kind: 'detail', scroll: Math.max(0, s.grid.col - 8) } });
    },
    insertName() {
      const s = store.getState().app;
      const entry = catalogEntries(s.catalog.relations)[s.catalog.selected];
      if (!entry) return;
      const name = /^[a-z_][a-z0-9_]*$/.test(entry.name) ? entry.name : sqlIdent(entry.name).text;
      store.dispatch({ type: 'editor', action: { type: 'insert', text: name } });
      dispatch({ type: 'focus', to: 'editor' });
    },
    openDedupe() {
      if (!backend.hasDuplicateGroups) {
        message(
          'the dedupe panel needs the raw files: open with --source <archive> (e.g. rtlake tui --lake rtlake-demo --source <the demo sample>)',
          true,
        );
        return;
      }
      dispatch({ type: 'overlay', overlay: { kind: 'dedupe' } });
      return guarded('dedupe', 'finding duplicate groups', async () => {
        const groups = await backend.duplicateGroups();
        dispatch({ type: 'dedupeGroups', groups });
        if (groups.length === 0) message('no duplicate groups: every (vehicle_id, timestamp) occurs once');
      });
    },
    chart() {
      const s = store.getState().app;
      const result = needResult('the chart');
      if (!result || result.columns.length === 0) return;
      const col = s.grid.col;
      dispatch({
        type: 'overlay',
        overlay: { kind: 'chart', column: result.columns[col]!, type: result.types[col]! },
      });
    },
    map() {
      const s = store.getState().app;
      const result = needResult('the map');
      if (!result) return;
      // Columns named latitude/longitude (lat/lon), else the two you pick: the cursor on the
      // latitude column, the longitude column to its right, both numbers.
      const c = s.grid.col;
      const picked = isNumericType(result.types[c]) && isNumericType(result.types[c + 1]);
      const latitude =
        result.columns.find((n) => latitudeNames.test(n)) ?? (picked ? result.columns[c] : undefined);
      const longitude =
        result.columns.find((n) => longitudeNames.test(n)) ?? (picked ? result.columns[c + 1] : undefined);
      if (!latitude || !longitude) {
        message(
          'the map needs latitude and longitude: columns named latitude/lat and longitude/lon, or the cursor on a latitude column with its longitude to the right',
          true,
        );
        return;
      }
      const others = result.columns.filter((c) => c !== latitude && c !== longitude);
      // The selected column colours the points when it names categories (route_id, current_status).
      const selected = result.columns[s.grid.col];
      const colour =
        selected && others.includes(selected) && /^VARCHAR/.test(result.types[s.grid.col] ?? '')
          ? selected
          : undefined;
      dispatch({
        type: 'overlay',
        overlay: {
          kind: 'map',
          latitude,
          longitude,
          colourChoices: others,
          cursor: { x: 0, y: 0 },
          ...(colour ? { colour } : {}),
        },
      });
      return load('map', 'finding the points', async (isLatest) => {
        const extent = await backend.mapExtent(result.sql, latitude, longitude);
        if (!isLatest()) return;
        dispatch({ type: 'mapExtent', extent });
        if (extent.points === 0)
          message(`no points: none of ${extent.rows} rows has a latitude and longitude`, true);
      });
    },
    copyCell() {
      const s = store.getState().app;
      const v = s.result?.rows[s.grid.row]?.[s.grid.col];
      if (!s.result || v === undefined) {
        message('no cell to copy');
        return;
      }
      io.copy(v ?? '');
      message(`copied the cell (${(v ?? '').length} characters) to the clipboard`);
    },
    copyRow() {
      const s = store.getState().app;
      const row = s.result?.rows[s.grid.row];
      if (!s.result || !row) {
        message('no row to copy');
        return;
      }
      io.copy(toTsv(s.result.columns, [row]));
      message(`copied row ${s.grid.row + 1} as TSV to the clipboard`);
    },
    copyResult() {
      const result = needResult('copying');
      if (!result) return;
      return guarded('copy', 'copying', async () => {
        const all = await backend.allRows(result.sql, maxCopiedRows);
        const tsv = all ? toTsv(all.columns, all.rows) : undefined;
        if (!all || !tsv || Buffer.byteLength(tsv) > clipboardLimit) {
          dispatch({
            type: 'runFailed',
            error: `the result is too large for the clipboard (over ${clipboardLimit.toLocaleString('en-US')} bytes): export it with e`,
            elapsedMs: 0,
          });
          return;
        }
        io.copy(tsv);
        dispatch({
          type: 'statementDone',
          message: `copied ${all.rows.length.toLocaleString('en-US')} rows as TSV to the clipboard`,
          elapsedMs: 0,
        });
      });
    },
    async externalEditor() {
      const text = editorText(store.getState().editor);
      try {
        const edited = await io.editExternally(text);
        if (edited !== text) store.dispatch({ type: 'editor', action: { type: 'setText', text: edited } });
        message(
          edited === text ? 'the editor left the text unchanged' : 'read the text back from the editor',
        );
      } catch (err) {
        message(err instanceof Error ? err.message : String(err), true);
      }
    },
    historyAccept() {
      const { app, editor } = store.getState();
      if (app.overlay?.kind !== 'history') return;
      const matches = historyMatches(editor.history, app.overlay.query);
      const match = matches[Math.min(app.overlay.selected, matches.length - 1)];
      dispatch({ type: 'overlay' });
      if (match === undefined) return;
      store.dispatch({ type: 'editor', action: { type: 'setText', text: match } });
      dispatch({ type: 'focus', to: 'editor' });
    },
    boxQuery() {
      const s = store.getState().app;
      const m = s.overlay?.kind === 'map' ? s.overlay : undefined;
      if (!m || !m.view || !s.result) return;
      if (!m.anchor) {
        message('mark a corner with Space, move to the other corner, then Enter', true);
        return;
      }
      const cells = mapCells(s);
      const grid = viewGrid(m.view, cells.w, cells.h);
      const box = roundBox(cellsBox(grid, m.anchor, m.cursor), grid);
      const sql = boxQuery(s.result.baseSql, m.latitude, m.longitude, box);
      dispatch({ type: 'overlay' });
      store.dispatch({ type: 'editor', action: { type: 'setText', text: sql } });
      dispatch({ type: 'focus', to: 'editor' });
      return runText(sql);
    },
  };

  function exportAs(format: 'csv' | 'parquet') {
    const result = needResult('export');
    if (!result) return;
    return guarded('export', `exporting ${format}`, async (started) => {
      const { file, rows } = await backend.exportResult(result.sql, format);
      dispatch({ type: 'exported', file, rows, elapsedMs: Date.now() - started });
    });
  }

  return {
    run: (effect: Effect) => Promise.resolve(handlers[effect]()),
    refreshCatalog,
    loadWords,
    /** The selected duplicate group's candidates (the dedupe panel). */
    loadCandidates() {
      const d = store.getState().app.dedupe;
      const g = d.groups[d.selected];
      if (!g) return Promise.resolve();
      return backend.groupCandidates(g).then(
        (candidates) => {
          const now = store.getState().app.dedupe;
          if (now.groups[now.selected] === g) dispatch({ type: 'dedupeCandidates', candidates });
        },
        (err: unknown) => message(backend.describeError(err), true),
      );
    },
    /** The chart overlay's bins over the whole result, for the pane's current size. */
    loadChart() {
      const s = store.getState().app;
      const c = s.overlay?.kind === 'chart' ? s.overlay : undefined;
      if (!c || !s.result) return Promise.resolve();
      const sql = s.result.sql;
      const bins = chartBins(chartKindFor(c.type), s.pane.width, s.pane.height);
      return load('chart', `charting ${c.column}`, async (isLatest) => {
        const chart = await backend.chart(sql, c.column, c.type, bins);
        if (isLatest()) dispatch({ type: 'chartReady', chart });
      });
    },
    /** The map overlay's dots for its current view, colour and size. */
    loadMapDots() {
      const s = store.getState().app;
      const m = s.overlay?.kind === 'map' ? s.overlay : undefined;
      if (!m || !m.view || !s.result) return Promise.resolve();
      const cells = mapCells(s);
      const grid = viewGrid(m.view, cells.w, cells.h);
      const sql = s.result.sql;
      return load('map', 'drawing the map', async (isLatest) => {
        const dots = await backend.mapDots(sql, m.latitude, m.longitude, grid, m.colour);
        if (isLatest()) dispatch({ type: 'mapDots', dots });
      });
    },
  };
}

export type Effects = ReturnType<typeof createEffects>;
