import { Box, Text, useApp, usePaste, useStdin, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { EventEmitter } from 'node:events';
import type { QueryCursor } from '../db/queryPage.js';
import {
  duplicateGroupsQuery,
  frequencyQuery,
  groupCandidatesQuery,
  sortedQuery,
  summarizeQuery,
} from '../db/workbenchSql.js';
import {
  appReducer,
  catalogEntries,
  createAppState,
  nextSort,
  type AppAction,
  type DedupeGroup,
  type RunKind,
  type Sort,
} from './appState.js';
import type { WorkbenchBackend } from './backend.js';
import { CatalogView } from './components/CatalogView.js';
import { DedupeView } from './components/DedupeView.js';
import { DetailView } from './components/DetailView.js';
import { EditorView } from './components/EditorView.js';
import { GridView } from './components/GridView.js';
import { HelpLine } from './components/HelpLine.js';
import { HelpView } from './components/HelpView.js';
import { StatusLine } from './components/StatusLine.js';
import { createEditor, editorReducer, editorText, offsetOf, selectedText } from './editorState.js';
import { routeKey, scopeOf, type Effect } from './keyRouter.js';
import { decodeKey, splitKeys } from './keys.js';
import { computeLayout } from './layout.js';
import { splitStatements, statementAt } from './sqlStatements.js';
import { theme } from './theme.js';

/** Rows read per page, and the most rows held in memory for one result. */
export const pageSize = 500;
export const maxBufferedRows = 10_000;

export interface AppProps {
  backend: WorkbenchBackend;
  initialText?: string;
  history?: string[];
  /** A line shown in the status bar at start (e.g. how to open a lake). */
  hint?: string;
  onHistory?: (history: string[]) => void;
  /** Told when a key arrives (keystroke-to-frame measurement). */
  onKeyReceived?: () => void;
}

/** The container: owns the state, turns keys into actions and effects, and runs DuckDB calls. */
export function App({ backend, initialText = '', history = [], hint, onHistory, onKeyReceived }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const layout = computeLayout(columns, rows);
  const [editor, editorDispatch] = useReducer(editorReducer, undefined, () =>
    createEditor(initialText, history),
  );
  const [state, rawDispatch] = useReducer(appReducer, undefined, () => {
    const s = createAppState();
    return hint ? appReducer(s, { type: 'message', text: hint }) : s;
  });
  const stateRef = useRef(state);
  stateRef.current = state;
  // Keys can arrive several per event, before React re-renders: the ref always holds the latest state.
  const dispatch = useCallback((a: AppAction) => {
    stateRef.current = appReducer(stateRef.current, a);
    rawDispatch(a);
  }, []);
  const editorRef = useRef(editor);
  editorRef.current = editor;
  const cursorRef = useRef<QueryCursor | undefined>(undefined);
  const runId = useRef(0);
  const busy = useRef(false);

  useEffect(() => {
    dispatch({ type: 'gridViewport', height: layout.gridRows, width: layout.gridWidth });
    editorDispatch({ type: 'setPageRows', rows: layout.topHeight });
  }, [layout.gridRows, layout.gridWidth, layout.topHeight]);

  useEffect(() => onHistory?.(editor.history), [editor.history, onHistory]);

  const refreshCatalog = useCallback(async () => {
    try {
      dispatch({ type: 'catalogLoaded', relations: await backend.catalog() });
    } catch {
      // The catalog is a convenience; a failure here must not hide the query's own status.
    }
  }, [backend]);
  useEffect(() => void refreshCatalog(), [refreshCatalog]);

  // While something runs, the elapsed time ticks in the status line.
  const running = state.status.running !== undefined;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => dispatch({ type: 'tick', now: Date.now() }), 200);
    return () => clearInterval(t);
  }, [running]);

  /** Runs one guarded DuckDB call: one at a time, timed, cancellable, errors in words. */
  const guarded = useCallback(
    async (kind: RunKind, label: string, work: (started: number) => Promise<void>) => {
      if (busy.current) {
        dispatch({ type: 'message', text: 'a query is running: Ctrl+C cancels it', error: true });
        return;
      }
      busy.current = true;
      const started = Date.now();
      dispatch({ type: 'runStarted', kind, label, at: started });
      try {
        await work(started);
      } catch (err) {
        const elapsedMs = Date.now() - started;
        if (backend.isInterrupted(err)) dispatch({ type: 'runCancelled', elapsedMs });
        else dispatch({ type: 'runFailed', error: backend.describeError(err), elapsedMs });
      } finally {
        busy.current = false;
      }
    },
    [backend],
  );

  const runQuery = useCallback(
    (
      sql: string,
      opts: { title: string; baseSql?: string; sort?: Sort; push?: boolean; remember?: boolean },
    ) =>
      guarded('query', 'running', async (started) => {
        const id = ++runId.current;
        cursorRef.current = undefined;
        const cursor = await backend.open(sql, pageSize);
        if (id !== runId.current) return;
        cursorRef.current = cursor;
        if (opts.remember) editorDispatch({ type: 'remember', sql });
        dispatch({
          type: 'resultReady',
          page: cursor,
          sql,
          baseSql: opts.baseSql ?? sql,
          title: opts.title,
          ...(opts.sort ? { sort: opts.sort } : {}),
          elapsedMs: Date.now() - started,
          push: opts.push ?? false,
        });
        if (opts.remember) void refreshCatalog();
      }),
    [backend, guarded, refreshCatalog],
  );

  const loadCandidates = useCallback(
    async (g: DedupeGroup | undefined) => {
      if (!g) return;
      try {
        const page = await backend.peek(groupCandidatesQuery(g.vehicleId, g.timestampUs), 100);
        const current = stateRef.current.dedupe.groups[stateRef.current.dedupe.selected];
        if (current === g) dispatch({ type: 'dedupeCandidates', page });
      } catch (err) {
        dispatch({ type: 'message', text: backend.describeError(err), error: true });
      }
    },
    [backend],
  );
  const dedupeGroup =
    state.overlay?.kind === 'dedupe' ? state.dedupe.groups[state.dedupe.selected] : undefined;
  useEffect(() => void loadCandidates(dedupeGroup), [dedupeGroup, loadCandidates]);

  const doEffect = useCallback(
    (effect: Effect) => {
      const s = stateRef.current;
      const result = s.result;
      const column = result?.columns[s.grid.col];
      const needResult = (what: string) => {
        if (!result)
          dispatch({
            type: 'message',
            text: `run a query first: ${what} works on the current result`,
            error: true,
          });
        return result;
      };
      switch (effect) {
        case 'quit':
          backend.cancel();
          exit();
          return;
        case 'cancel':
          if (busy.current) backend.cancel();
          else dispatch({ type: 'message', text: 'nothing is running (Ctrl+Q quits)' });
          return;
        case 'run': {
          const e = editorRef.current;
          const text = selectedText(e) ?? statementAt(editorText(e), offsetOf(e.lines, e.cursor))?.text;
          if (!text || text.trim() === '') {
            dispatch({ type: 'message', text: 'nothing to run: type a SQL statement first', error: true });
            return;
          }
          const last = splitStatements(text).at(-1)?.text ?? text;
          void runQuery(text, { title: 'query', baseSql: last, push: true, remember: true });
          return;
        }
        case 'sort': {
          if (!needResult('sorting') || !column || !result) return;
          const sort = nextSort(result.sort, column);
          void runQuery(sort ? sortedQuery(result.baseSql, column, sort.direction) : result.baseSql, {
            title: result.title,
            baseSql: result.baseSql,
            ...(sort ? { sort } : {}),
          });
          return;
        }
        case 'profile':
          if (!needResult('the profile') || !result) return;
          void runQuery(summarizeQuery(result.baseSql), { title: 'profile (SUMMARIZE)', push: true });
          return;
        case 'frequency':
          if (!needResult('frequencies') || !result || !column) return;
          void runQuery(frequencyQuery(result.baseSql, column), {
            title: `frequencies of ${column}`,
            push: true,
          });
          return;
        case 'back': {
          const prev = s.backStack.at(-1);
          if (!prev) {
            dispatch({ type: 'message', text: 'no earlier result' });
            return;
          }
          dispatch({ type: 'popBack' });
          void runQuery(prev.sql, {
            title: prev.title,
            baseSql: prev.baseSql,
            ...(prev.sort ? { sort: prev.sort } : {}),
          });
          return;
        }
        case 'fetchMore': {
          if (!needResult('fetch-more') || !result) return;
          if (!result.hasMore) {
            dispatch({ type: 'message', text: 'all rows are shown' });
            return;
          }
          const room = maxBufferedRows - result.rows.length;
          const cursor = cursorRef.current;
          if (room <= 0 || !cursor) {
            dispatch({
              type: 'message',
              text:
                room <= 0
                  ? `holding ${maxBufferedRows} rows already; export (e/E) writes the whole result`
                  : 'this result is closed: run it again to fetch more',
              error: true,
            });
            return;
          }
          void guarded('more', 'fetching', async (started) => {
            const next = await cursor.more(Math.min(pageSize, room));
            dispatch({
              type: 'moreRows',
              rows: next.rows,
              hasMore: next.hasMore,
              capped: result.rows.length + next.rows.length >= maxBufferedRows && next.hasMore,
              elapsedMs: Date.now() - started,
            });
          });
          return;
        }
        case 'exportCsv':
        case 'exportParquet': {
          if (!needResult('export') || !result) return;
          const format = effect === 'exportCsv' ? 'csv' : 'parquet';
          void guarded('export', `exporting ${format}`, async (started) => {
            const { file, rows: n } = await backend.exportResult(result.sql, format);
            dispatch({ type: 'exported', file, rows: n, elapsedMs: Date.now() - started });
          });
          return;
        }
        case 'detail':
          if (!result || result.rows.length === 0) {
            dispatch({ type: 'message', text: 'no row to show' });
            return;
          }
          dispatch({ type: 'overlay', overlay: { kind: 'detail', scroll: Math.max(0, s.grid.col - 8) } });
          return;
        case 'insertName': {
          const entry = catalogEntries(s.catalog.relations)[s.catalog.selected];
          if (!entry) return;
          const name = /^[a-z_][a-z0-9_]*$/.test(entry.name)
            ? entry.name
            : `"${entry.name.replace(/"/g, '""')}"`;
          editorDispatch({ type: 'insert', text: name });
          dispatch({ type: 'focus', to: 'editor' });
          return;
        }
        case 'openDedupe': {
          if (!backend.hasDuplicateGroups) {
            dispatch({
              type: 'message',
              text: 'the dedupe panel needs the raw files: open with --source <archive> (e.g. rtlake tui --lake rtlake-demo --source <the demo sample>)',
              error: true,
            });
            return;
          }
          dispatch({ type: 'overlay', overlay: { kind: 'dedupe' } });
          void guarded('dedupe', 'finding duplicate groups', async () => {
            const page = await backend.peek(duplicateGroupsQuery, 1000);
            const ix = (n: string) => page.columns.indexOf(n);
            const groups: DedupeGroup[] = page.rows.map((r) => ({
              vehicleId: r[ix('vehicle_id')] ?? '',
              timestamp: r[ix('timestamp')] ?? '',
              candidates: Number(r[ix('candidates')]),
              conflicting: r[ix('conflicting')] === 'true',
              differing: (r[ix('differing_columns')] ?? '').replace(/^\[|\]$/g, ''),
              timestampUs: Number(r[ix('ts_us')]),
            }));
            dispatch({ type: 'dedupeGroups', groups });
            if (groups.length === 0)
              dispatch({
                type: 'message',
                text: 'no duplicate groups: every (vehicle_id, timestamp) occurs once',
              });
          });
          return;
        }
      }
    },
    [backend, exit, guarded, runQuery],
  );

  const onKey = useCallback(
    (raw: string) => {
      onKeyReceived?.();
      for (const one of splitKeys(raw)) {
        // Focus and overlay may change within one event (Tab, then a letter): read the latest.
        const s = stateRef.current;
        const command = routeKey(s.focus, s.overlay, decodeKey(one));
        if (command.type === 'editor') {
          editorDispatch(command.action);
          editorRef.current = editorReducer(editorRef.current, command.action);
        } else if (command.type === 'app') {
          dispatch(command.action);
        } else if (command.type === 'effect') doEffect(command.effect);
      }
    },
    [doEffect, dispatch, onKeyReceived],
  );
  const onPaste = useCallback((text: string) => {
    const s = stateRef.current;
    if (s.overlay) return;
    if (s.focus !== 'editor') dispatch({ type: 'focus', to: 'editor' });
    editorDispatch({ type: 'insert', text });
    editorRef.current = editorReducer(editorRef.current, { type: 'insert', text });
  }, []);
  useRawKeys(onKey);
  usePaste(onPaste);

  const entries = useMemo(() => catalogEntries(state.catalog.relations), [state.catalog.relations]);
  const scope = scopeOf(state.focus, state.overlay);
  const border = (focused: boolean) => (focused && !state.overlay ? theme.borderFocused : theme.border);
  const result = state.result;
  let middle;
  if (state.overlay?.kind === 'help')
    middle = <HelpView width={layout.gridWidth} height={layout.overlayHeight} />;
  else if (state.overlay?.kind === 'detail' && result)
    middle = (
      <DetailView
        result={result}
        row={state.grid.row}
        col={state.grid.col}
        scroll={state.overlay.scroll}
        width={layout.gridWidth}
        height={layout.overlayHeight}
      />
    );
  else if (state.overlay?.kind === 'dedupe')
    middle = (
      <DedupeView
        dedupe={state.dedupe}
        ruleText={backend.ruleText}
        width={layout.gridWidth}
        height={layout.overlayHeight}
      />
    );
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      {middle ? (
        <Box borderStyle="round" borderColor={theme.borderFocused} height={layout.overlayHeight + 2}>
          {middle}
        </Box>
      ) : (
        <>
          <Box flexDirection="row" height={layout.topHeight + 2}>
            {layout.catalogWidth > 0 ? (
              <Box
                borderStyle="round"
                borderColor={border(state.focus === 'catalog')}
                width={layout.catalogWidth + 2}
              >
                <CatalogView
                  entries={entries}
                  selected={state.catalog.selected}
                  focused={state.focus === 'catalog'}
                  width={layout.catalogWidth}
                  height={layout.topHeight}
                />
              </Box>
            ) : null}
            <Box
              borderStyle="round"
              borderColor={border(state.focus === 'editor')}
              width={layout.editorWidth + 2}
            >
              <EditorView
                editor={editor}
                focused={state.focus === 'editor'}
                width={layout.editorWidth}
                height={layout.topHeight}
              />
            </Box>
          </Box>
          <Box
            borderStyle="round"
            borderColor={border(state.focus === 'results')}
            flexDirection="column"
            height={layout.gridHeight + 2}
          >
            <Text color={theme.title} wrap="truncate">
              {result
                ? `${result.title}${result.sort ? ` · sorted by ${result.sort.column} ${result.sort.direction}` : ''}${result.hasMore ? ' · m fetches more' : ''}`
                : 'results'}
            </Text>
            <GridView
              result={result}
              grid={state.grid}
              focused={state.focus === 'results'}
              width={layout.gridWidth}
              height={layout.gridHeight - 1}
            />
          </Box>
        </>
      )}
      <StatusLine state={state} description={backend.description} width={columns} />
      <HelpLine scope={scope} width={columns} />
    </Box>
  );
}

/**
 * Raw input events as Ink's parser splits them. useInput cannot tell F5 or Ctrl+Enter apart, so the
 * app listens to the same event stream and decodes keys itself (keys.ts).
 */
function useRawKeys(handler: (raw: string) => void): void {
  const stdin = useStdin() as ReturnType<typeof useStdin> & { internal_eventEmitter?: EventEmitter };
  const { setRawMode } = stdin;
  const emitter = stdin.internal_eventEmitter;
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    setRawMode(true);
    const listener = (raw: string) => ref.current(raw);
    emitter?.on('input', listener);
    return () => {
      emitter?.removeListener('input', listener);
      setRawMode(false);
    };
  }, [emitter, setRawMode]);
}
