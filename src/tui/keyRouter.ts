import type { EditorAction } from './editorState.js';
import { actionFor, type Action, type Scope } from './keyBindings.js';
import type { AppAction, Focus, Overlay } from './appState.js';
import { keyId, type KeyEvent } from './keys.js';

/** What a key asks for: a state change, or an effect the container carries out. */
export type Command =
  | { type: 'editor'; action: EditorAction }
  | { type: 'app'; action: AppAction }
  | { type: 'effect'; effect: Effect }
  | { type: 'none' };

export type Effect =
  | 'run'
  | 'cancel'
  | 'quit'
  | 'sort'
  | 'fetchMore'
  | 'profile'
  | 'frequency'
  | 'exportCsv'
  | 'exportParquet'
  | 'back'
  | 'openDedupe'
  | 'insertName'
  | 'detail';

export function scopeOf(focus: Focus, overlay: Overlay | undefined): Scope {
  return overlay ? overlay.kind : focus;
}

const moves: Partial<Record<Action, Extract<EditorAction, { type: 'move' }>>> = {
  left: { type: 'move', to: 'left' },
  right: { type: 'move', to: 'right' },
  up: { type: 'move', to: 'up' },
  down: { type: 'move', to: 'down' },
  wordLeft: { type: 'move', to: 'wordLeft' },
  wordRight: { type: 'move', to: 'wordRight' },
  lineStart: { type: 'move', to: 'lineStart' },
  lineEnd: { type: 'move', to: 'lineEnd' },
  docStart: { type: 'move', to: 'docStart' },
  docEnd: { type: 'move', to: 'docEnd' },
  pageUp: { type: 'move', to: 'pageUp' },
  pageDown: { type: 'move', to: 'pageDown' },
  selectLeft: { type: 'move', to: 'left', select: true },
  selectRight: { type: 'move', to: 'right', select: true },
  selectUp: { type: 'move', to: 'up', select: true },
  selectDown: { type: 'move', to: 'down', select: true },
  selectLineStart: { type: 'move', to: 'lineStart', select: true },
  selectLineEnd: { type: 'move', to: 'lineEnd', select: true },
};

const effects: Partial<Record<Action, Effect>> = {
  run: 'run',
  cancel: 'cancel',
  quit: 'quit',
  sort: 'sort',
  fetchMore: 'fetchMore',
  profile: 'profile',
  frequency: 'frequency',
  exportCsv: 'exportCsv',
  exportParquet: 'exportParquet',
  back: 'back',
  dedupe: 'openDedupe',
  insertName: 'insertName',
  detail: 'detail',
};

/** Decides what a key does given where the focus is and which overlay is open. Pure. */
export function routeKey(focus: Focus, overlay: Overlay | undefined, ev: KeyEvent): Command {
  const scope = scopeOf(focus, overlay);
  const action = actionFor(scope, keyId(ev));
  if (action === undefined) {
    if (scope === 'editor' && ev.text !== '')
      return { type: 'editor', action: { type: 'insert', text: ev.text } };
    return { type: 'none' };
  }
  // Overlays close on their own keys; F2 in the dedupe panel closes it rather than reopening.
  if (
    action === 'close' ||
    (overlay && action === 'dedupe' && overlay.kind === 'dedupe') ||
    (overlay?.kind === 'help' && action === 'help')
  ) {
    return { type: 'app', action: { type: 'overlay' } };
  }
  if (action === 'help') return { type: 'app', action: { type: 'overlay', overlay: { kind: 'help' } } };
  if (action === 'focusNext' || action === 'focusPrev') {
    if (overlay) return { type: 'none' };
    return { type: 'app', action: { type: 'focus', to: action === 'focusNext' ? 'next' : 'prev' } };
  }
  if (scope === 'editor') {
    const move = moves[action];
    if (move) return { type: 'editor', action: move };
    switch (action) {
      case 'undo':
      case 'redo':
      case 'historyPrev':
      case 'historyNext':
      case 'selectAll':
      case 'newline':
      case 'backspace':
      case 'deleteForward':
        return { type: 'editor', action: { type: action } };
    }
  }
  if (scope === 'results') {
    switch (action) {
      case 'up':
        return { type: 'app', action: { type: 'gridMove', rows: -1 } };
      case 'down':
        return { type: 'app', action: { type: 'gridMove', rows: 1 } };
      case 'left':
        return { type: 'app', action: { type: 'gridMove', cols: -1 } };
      case 'right':
        return { type: 'app', action: { type: 'gridMove', cols: 1 } };
      case 'pageUp':
        return { type: 'app', action: { type: 'gridMove', pages: -1 } };
      case 'pageDown':
        return { type: 'app', action: { type: 'gridMove', pages: 1 } };
      case 'firstRow':
        return { type: 'app', action: { type: 'gridMove', toRow: 0 } };
      case 'lastRow':
        return { type: 'app', action: { type: 'gridMove', toRow: Number.MAX_SAFE_INTEGER } };
      case 'firstColumn':
        return { type: 'app', action: { type: 'gridMove', toCol: 0 } };
      case 'lastColumn':
        return { type: 'app', action: { type: 'gridMove', toCol: Number.MAX_SAFE_INTEGER } };
    }
  }
  if (scope === 'catalog') {
    switch (action) {
      case 'up':
        return { type: 'app', action: { type: 'catalogMove', by: -1 } };
      case 'down':
        return { type: 'app', action: { type: 'catalogMove', by: 1 } };
      case 'pageUp':
        return { type: 'app', action: { type: 'catalogMove', by: -10 } };
      case 'pageDown':
        return { type: 'app', action: { type: 'catalogMove', by: 10 } };
    }
  }
  if (scope === 'detail') {
    switch (action) {
      case 'up':
        return { type: 'app', action: { type: 'detailScroll', by: -1 } };
      case 'down':
        return { type: 'app', action: { type: 'detailScroll', by: 1 } };
      case 'left':
        return { type: 'app', action: { type: 'gridMove', rows: -1 } };
      case 'right':
        return { type: 'app', action: { type: 'gridMove', rows: 1 } };
    }
  }
  if (scope === 'dedupe') {
    switch (action) {
      case 'up':
        return { type: 'app', action: { type: 'dedupeMove', by: -1 } };
      case 'down':
        return { type: 'app', action: { type: 'dedupeMove', by: 1 } };
      case 'left':
        return { type: 'app', action: { type: 'dedupeScroll', by: -1 } };
      case 'right':
        return { type: 'app', action: { type: 'dedupeScroll', by: 1 } };
    }
  }
  const effect = effects[action];
  return effect ? { type: 'effect', effect } : { type: 'none' };
}
