import type { EditorAction } from './editorState.js';
import { actionFor, type Action, type Scope } from './keyBindings.js';
import type { AppAction, Focus, Overlay } from './appState.js';
import { keyId, type KeyEvent } from './keys.js';

/** What a key asks for: a state change, or an effect the effect runner carries out. */
export type Command =
  | { type: 'editor'; action: EditorAction }
  | { type: 'app'; action: AppAction }
  | { type: 'completion'; action: 'accept' | 'next' | 'prev' | 'close' }
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
  | 'detail'
  | 'chart'
  | 'map'
  | 'copyCell'
  | 'copyRow'
  | 'copyResult'
  | 'externalEditor'
  | 'historyAccept'
  | 'boxQuery';

/** Where keys go: the open overlay, else the completion list while it is open, else the focused pane. */
export function scopeOf(focus: Focus, overlay: Overlay | undefined, completionOpen = false): Scope {
  if (overlay) return overlay.kind;
  return focus === 'editor' && completionOpen ? 'completion' : focus;
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
  chart: 'chart',
  map: 'map',
  copyCell: 'copyCell',
  copyRow: 'copyRow',
  copyResult: 'copyResult',
  externalEditor: 'externalEditor',
  boxQuery: 'boxQuery',
};

const app = (action: AppAction): Command => ({ type: 'app', action });

/** Scope-specific meanings of the shared actions (arrows, pages, accept). */
function scopedCommand(scope: Scope, action: Action): Command | undefined {
  switch (scope) {
    case 'editor': {
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
        case 'historySearch':
          return app({ type: 'overlay', overlay: { kind: 'history', query: '', selected: 0 } });
      }
      return undefined;
    }
    case 'completion':
      if (action === 'accept') return { type: 'completion', action: 'accept' };
      if (action === 'up') return { type: 'completion', action: 'prev' };
      if (action === 'down') return { type: 'completion', action: 'next' };
      if (action === 'close') return { type: 'completion', action: 'close' };
      return scopedCommand('editor', action);
    case 'results':
      switch (action) {
        case 'up':
          return app({ type: 'gridMove', rows: -1 });
        case 'down':
          return app({ type: 'gridMove', rows: 1 });
        case 'left':
          return app({ type: 'gridMove', cols: -1 });
        case 'right':
          return app({ type: 'gridMove', cols: 1 });
        case 'pageUp':
          return app({ type: 'gridMove', pages: -1 });
        case 'pageDown':
          return app({ type: 'gridMove', pages: 1 });
        case 'firstRow':
          return app({ type: 'gridMove', toRow: 0 });
        case 'lastRow':
          return app({ type: 'gridMove', toRow: Number.MAX_SAFE_INTEGER });
        case 'firstColumn':
          return app({ type: 'gridMove', toCol: 0 });
        case 'lastColumn':
          return app({ type: 'gridMove', toCol: Number.MAX_SAFE_INTEGER });
      }
      return undefined;
    case 'catalog':
      if (action === 'up') return app({ type: 'catalogMove', by: -1 });
      if (action === 'down') return app({ type: 'catalogMove', by: 1 });
      if (action === 'pageUp') return app({ type: 'catalogMove', by: -10 });
      if (action === 'pageDown') return app({ type: 'catalogMove', by: 10 });
      return undefined;
    case 'detail':
      if (action === 'up') return app({ type: 'detailScroll', by: -1 });
      if (action === 'down') return app({ type: 'detailScroll', by: 1 });
      if (action === 'left') return app({ type: 'gridMove', rows: -1 });
      if (action === 'right') return app({ type: 'gridMove', rows: 1 });
      return undefined;
    case 'chart':
      if (action === 'left') return app({ type: 'chartColumn', by: -1 });
      if (action === 'right') return app({ type: 'chartColumn', by: 1 });
      return undefined;
    case 'map':
      switch (action) {
        case 'up':
          return app({ type: 'mapMove', dx: 0, dy: -1 });
        case 'down':
          return app({ type: 'mapMove', dx: 0, dy: 1 });
        case 'left':
          return app({ type: 'mapMove', dx: -1, dy: 0 });
        case 'right':
          return app({ type: 'mapMove', dx: 1, dy: 0 });
        case 'panUp':
          return app({ type: 'mapPan', dx: 0, dy: -0.25 });
        case 'panDown':
          return app({ type: 'mapPan', dx: 0, dy: 0.25 });
        case 'panLeft':
          return app({ type: 'mapPan', dx: -0.25, dy: 0 });
        case 'panRight':
          return app({ type: 'mapPan', dx: 0.25, dy: 0 });
        case 'zoomIn':
          return app({ type: 'mapZoom', factor: 2 });
        case 'zoomOut':
          return app({ type: 'mapZoom', factor: 0.5 });
        case 'fit':
          return app({ type: 'mapFit' });
        case 'mark':
          return app({ type: 'mapAnchor' });
        case 'colour':
          return app({ type: 'mapColour' });
      }
      return undefined;
    case 'history':
      if (action === 'up') return app({ type: 'historyMove', by: 1 });
      if (action === 'down') return app({ type: 'historyMove', by: -1 });
      if (action === 'backspace') return app({ type: 'historyQuery', backspace: true });
      if (action === 'accept') return { type: 'effect', effect: 'historyAccept' };
      return undefined;
    case 'dedupe':
      if (action === 'up') return app({ type: 'dedupeMove', by: -1 });
      if (action === 'down') return app({ type: 'dedupeMove', by: 1 });
      if (action === 'left') return app({ type: 'dedupeScroll', by: -1 });
      if (action === 'right') return app({ type: 'dedupeScroll', by: 1 });
      return undefined;
    case 'global':
    case 'help':
      return undefined;
  }
}

/** Decides what a key does given where the focus is, which overlay and whether completion is open. Pure. */
export function routeKey(
  focus: Focus,
  overlay: Overlay | undefined,
  ev: KeyEvent,
  completionOpen = false,
): Command {
  const scope = scopeOf(focus, overlay, completionOpen);
  const action = actionFor(scope === 'completion' ? ['completion', 'editor'] : [scope], keyId(ev));
  if (action === undefined) {
    if ((scope === 'editor' || scope === 'completion') && ev.text !== '')
      return { type: 'editor', action: { type: 'insert', text: ev.text } };
    if (scope === 'history' && ev.text !== '') return app({ type: 'historyQuery', text: ev.text });
    return { type: 'none' };
  }
  if (scope === 'completion' && action === 'close') return { type: 'completion', action: 'close' };
  // Overlays close on their own keys; F2 in the dedupe panel closes it rather than reopening.
  if (
    action === 'close' ||
    (overlay && action === 'dedupe' && overlay.kind === 'dedupe') ||
    (overlay?.kind === 'help' && action === 'help')
  ) {
    return app({ type: 'overlay' });
  }
  if (action === 'help') return app({ type: 'overlay', overlay: { kind: 'help' } });
  if (action === 'focusNext' || action === 'focusPrev') {
    if (overlay) return { type: 'none' };
    return app({ type: 'focus', to: action === 'focusNext' ? 'next' : 'prev' });
  }
  const scoped = scopedCommand(scope, action);
  if (scoped) return scoped;
  const effect = effects[action];
  return effect ? { type: 'effect', effect } : { type: 'none' };
}
