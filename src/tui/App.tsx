import { useApp, usePaste, useStdin, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { EventEmitter } from 'node:events';
import type { WorkbenchBackend } from './backend.js';
import { WorkbenchScreen } from './components/WorkbenchScreen.js';
import { createEffects, type EffectIO } from './effects.js';
import { routeKey, scopeOf } from './keyRouter.js';
import { decodeKey, splitKeys, type KeyEvent } from './keys.js';
import type { CompletionState } from './completion.js';
import { computeLayout } from './layout.js';
import { createWorkbenchState, createWorkbenchStore, type WorkbenchStore } from './workbenchStore.js';

export { maxBufferedRows, pageSize } from './effects.js';

export interface AppProps {
  backend: WorkbenchBackend;
  initialText?: string;
  /** Earlier queries, oldest first (the lasting history). */
  history?: string[];
  /** A line shown in the status bar at start (e.g. how to open a lake). */
  hint?: string;
  /** Told of every query that ran, to append it to the lasting history. */
  onHistory?: (sql: string) => void;
  /** Copies text to the system clipboard. */
  onCopy?: (text: string) => void;
  /** Hands the text to $VISUAL/$EDITOR (the terminal is released meanwhile). */
  editExternally?: (text: string) => Promise<string>;
  /** Told when a key arrives (keystroke-to-frame measurement). */
  onKeyReceived?: () => void;
}

/**
 * The container: one store, keys routed to it or to the effect runner, views drawn from it. What a
 * key does is decided by keyRouter and carried out by effects; here is only the wiring.
 */
export function App(props: AppProps) {
  const { backend, onKeyReceived } = props;
  const { exit, suspendTerminal } = useApp();
  const { columns, rows } = useWindowSize();
  const layout = computeLayout(columns, rows);
  const store = useRef<WorkbenchStore>(undefined);
  store.current ??= createWorkbenchStore(
    createWorkbenchState(props.initialText ?? '', props.history ?? [], props.hint),
  );
  const {
    app: state,
    editor,
    completion,
  } = useSyncExternalStore(store.current.subscribe, store.current.getState);
  const io = useRef<EffectIO>(undefined);
  io.current = {
    exit,
    copy: props.onCopy ?? (() => undefined),
    editExternally: async (text) => {
      if (!props.editExternally) throw new Error('set $VISUAL or $EDITOR to edit the query in your editor');
      let out = text;
      await suspendTerminal(async () => {
        out = await props.editExternally!(text);
      });
      return out;
    },
    remember: (sql) => props.onHistory?.(sql),
  };
  const effects = useMemo(
    () =>
      createEffects(backend, store.current!, {
        exit: () => io.current!.exit(),
        copy: (t) => io.current!.copy(t),
        editExternally: (t) => io.current!.editExternally(t),
        remember: (sql) => io.current!.remember(sql),
      }),
    [backend],
  );
  const dispatch = store.current.dispatch;

  // What the views need, loaded when what they show changes.
  useEffect(() => {
    dispatch({
      type: 'app',
      action: {
        type: 'gridViewport',
        height: layout.gridRows,
        width: layout.gridWidth,
        paneWidth: layout.gridWidth,
        paneHeight: layout.overlayHeight,
      },
    });
    dispatch({ type: 'editor', action: { type: 'setPageRows', rows: layout.topHeight } });
  }, [dispatch, layout.gridRows, layout.gridWidth, layout.topHeight, layout.overlayHeight]);
  useEffect(() => {
    void effects.refreshCatalog();
    void effects.loadWords();
  }, [effects]);
  const dedupeGroup =
    state.overlay?.kind === 'dedupe' ? state.dedupe.groups[state.dedupe.selected] : undefined;
  useEffect(() => void effects.loadCandidates(), [effects, dedupeGroup]);
  const chartColumn = state.overlay?.kind === 'chart' ? state.overlay.column : undefined;
  useEffect(() => void effects.loadChart(), [effects, chartColumn, state.pane.width, state.pane.height]);
  const mapView = state.overlay?.kind === 'map' ? state.overlay.view : undefined;
  const mapColour = state.overlay?.kind === 'map' ? state.overlay.colour : undefined;
  useEffect(
    () => void effects.loadMapDots(),
    [effects, mapView, mapColour, state.pane.width, state.pane.height],
  );

  // While something runs, the elapsed time ticks in the status line.
  const running = state.status.running !== undefined;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => dispatch({ type: 'app', action: { type: 'tick', now: Date.now() } }), 200);
    return () => clearInterval(t);
  }, [dispatch, running]);

  const onKey = useCallback(
    (raw: string) => {
      onKeyReceived?.();
      for (const one of splitKeys(raw)) {
        // Focus and overlay may change within one event (Tab, then a letter): the store has the latest.
        const s = store.current!.getState();
        const ev = decodeKey(one);
        // Several letters in one event are text for the editor, but keys one by one anywhere else.
        if (
          ev.name === 'text' &&
          !takesText(scopeOf(s.app.focus, s.app.overlay, s.completion !== undefined))
        ) {
          for (const ch of ev.text) onKey(ch);
          continue;
        }
        const command = routeKey(s.app.focus, s.app.overlay, ev, completionMode(s.completion, ev));
        if (command.type === 'editor') dispatch({ type: 'editor', action: command.action, typed: true });
        else if (command.type === 'app') dispatch({ type: 'app', action: command.action });
        else if (command.type === 'completion') dispatch({ type: 'completion', action: command.action });
        else if (command.type === 'effect') {
          // Running, charting, copying…: the completion list has no say in it.
          dispatch({ type: 'completion', action: 'close' });
          void effects.run(command.effect);
        }
      }
    },
    [dispatch, effects, onKeyReceived],
  );
  const onPaste = useCallback(
    (text: string) => {
      const s = store.current!.getState();
      if (s.app.overlay) return;
      if (s.app.focus !== 'editor') dispatch({ type: 'app', action: { type: 'focus', to: 'editor' } });
      dispatch({ type: 'editor', action: { type: 'insert', text } });
    },
    [dispatch],
  );
  useRawKeys(onKey);
  usePaste(onPaste);

  return (
    <WorkbenchScreen
      state={state}
      editor={editor}
      completion={completion}
      columns={columns}
      rows={rows}
      description={backend.description}
      ruleText={backend.ruleText}
    />
  );
}

const takesText = (scope: string) => scope === 'editor' || scope === 'completion' || scope === 'history';

/**
 * Whether the completion list takes the key: Enter on an entry that is exactly the typed word is
 * a new line, not an acceptance (typing `from` and Enter must not be swallowed).
 */
function completionMode(c: CompletionState | undefined, ev: KeyEvent): boolean {
  if (!c) return false;
  const item = c.items[c.selected];
  return !(
    ev.name === 'return' &&
    !ev.ctrl &&
    !ev.meta &&
    item?.text.toLowerCase() === c.prefix.toLowerCase()
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
