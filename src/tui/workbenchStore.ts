import { sqlIdent } from '../db/sqlText.js';
import { appReducer, createAppState, type AppAction, type AppState } from './appState.js';
import { completionAt, insertionText, type CompletionState, type CompletionWords } from './completion.js';
import {
  createEditor,
  editorReducer,
  editorText,
  offsetOf,
  positionOf,
  type EditorAction,
  type EditorState,
} from './editorState.js';

/**
 * The whole workbench state in one store outside React: every key runs the reducer once, and a key
 * that arrives in the same input event as the previous one sees its result at once (no refs that
 * mirror reducers). React reads it with useSyncExternalStore.
 */
export interface WorkbenchState {
  app: AppState;
  editor: EditorState;
  /** The completion list, when open. */
  completion?: CompletionState;
  words: CompletionWords;
  /** The last editor change was typing: names that arrive later (catalog, words) may open the list. */
  typing?: boolean;
}

export type WorkbenchAction =
  | { type: 'app'; action: AppAction }
  /** typed: from the keyboard (opens or updates completion), not a paste or a recall. */
  | { type: 'editor'; action: EditorAction; typed?: boolean }
  | { type: 'completion'; action: 'accept' | 'next' | 'prev' | 'close' }
  | { type: 'words'; words: CompletionWords };

export function createWorkbenchState(
  initialText = '',
  history: string[] = [],
  hint?: string,
  now = Date.now(),
): WorkbenchState {
  const app = createAppState(now);
  return {
    app: hint ? appReducer(app, { type: 'message', text: hint }) : app,
    editor: createEditor(initialText, history),
    words: { keywords: [], functions: [] },
  };
}

function withoutCompletion(s: WorkbenchState): WorkbenchState {
  if (!s.completion) return s;
  const { completion: _c, ...rest } = s;
  return rest;
}

/** While the user is typing, the list for the word before the cursor (none: closed). */
function withCompletion(s: WorkbenchState): WorkbenchState {
  if (!s.typing) return s;
  const completion = completionFor(s);
  if (completion) return { ...s, completion };
  return withoutCompletion(s);
}

function completionFor(s: WorkbenchState): CompletionState | undefined {
  return completionAt(
    editorText(s.editor),
    offsetOf(s.editor.lines, s.editor.cursor),
    s.app.catalog.relations,
    s.words,
  );
}

export function workbenchReducer(s: WorkbenchState, a: WorkbenchAction): WorkbenchState {
  switch (a.type) {
    case 'app': {
      const app = appReducer(s.app, a.action);
      if (app === s.app) return s;
      return a.action.type === 'catalogLoaded' ? withCompletion({ ...s, app }) : { ...s, app };
    }
    case 'words':
      return withCompletion({ ...s, words: a.words });
    case 'editor': {
      const editor = editorReducer(s.editor, a.action);
      const { typing: _t, ...rest } = withoutCompletion(s);
      const next = { ...rest, editor };
      // Typing a word opens (or narrows) the list; deleting narrows it while it is open.
      const follows =
        a.typed && (a.action.type === 'insert' || (a.action.type === 'backspace' && s.completion));
      if (!follows) return next;
      return withCompletion({ ...next, typing: true });
    }
    case 'completion': {
      const c = s.completion;
      if (!c) return s;
      switch (a.action) {
        case 'close': {
          const { typing: _t, ...rest } = withoutCompletion(s);
          return rest;
        }
        case 'next':
        case 'prev': {
          const n = c.items.length;
          const selected = (c.selected + (a.action === 'next' ? 1 : n - 1)) % n;
          return { ...s, completion: { ...c, selected } };
        }
        case 'accept': {
          const item = c.items[c.selected];
          if (!item) return withoutCompletion(s);
          const text = insertionText(item, c.prefix, (name) => sqlIdent(name).text);
          const at = offsetOf(s.editor.lines, s.editor.cursor);
          // Select the typed word, then type over it: one undo step.
          const selected: EditorState = {
            ...s.editor,
            anchor: positionOf(s.editor.lines, c.start),
            cursor: positionOf(s.editor.lines, at),
          };
          const { typing: _t, ...rest } = withoutCompletion(s);
          return { ...rest, editor: editorReducer(selected, { type: 'insert', text }) };
        }
      }
    }
  }
}

export interface WorkbenchStore {
  getState(): WorkbenchState;
  dispatch(action: WorkbenchAction): void;
  subscribe(listener: () => void): () => void;
}

export function createWorkbenchStore(initial: WorkbenchState): WorkbenchStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = workbenchReducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
