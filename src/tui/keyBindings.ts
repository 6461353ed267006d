/**
 * Every shortcut of the workbench, in one table. The app matches keys against it, the help line
 * and the F1 help are drawn from it, and the README's keys table is checked against it by a test.
 */
export type Scope =
  | 'global'
  | 'editor'
  | 'completion'
  | 'results'
  | 'catalog'
  | 'detail'
  | 'chart'
  | 'map'
  | 'history'
  | 'dedupe'
  | 'help';

export type Action =
  | 'run'
  | 'cancel'
  | 'quit'
  | 'focusNext'
  | 'focusPrev'
  | 'help'
  | 'dedupe'
  | 'undo'
  | 'redo'
  | 'historyPrev'
  | 'historyNext'
  | 'selectAll'
  | 'newline'
  | 'backspace'
  | 'deleteForward'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'wordLeft'
  | 'wordRight'
  | 'lineStart'
  | 'lineEnd'
  | 'docStart'
  | 'docEnd'
  | 'pageUp'
  | 'pageDown'
  | 'selectLeft'
  | 'selectRight'
  | 'selectUp'
  | 'selectDown'
  | 'selectLineStart'
  | 'selectLineEnd'
  | 'detail'
  | 'sort'
  | 'fetchMore'
  | 'profile'
  | 'frequency'
  | 'exportCsv'
  | 'exportParquet'
  | 'back'
  | 'firstRow'
  | 'lastRow'
  | 'firstColumn'
  | 'lastColumn'
  | 'insertName'
  | 'historySearch'
  | 'externalEditor'
  | 'accept'
  | 'chart'
  | 'map'
  | 'copyCell'
  | 'copyRow'
  | 'copyResult'
  | 'panLeft'
  | 'panRight'
  | 'panUp'
  | 'panDown'
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'mark'
  | 'boxQuery'
  | 'colour'
  | 'close';

export interface Binding {
  scope: Scope;
  action: Action;
  /** Key ids as keys.ts#keyId makes them. */
  keys: string[];
  /** What it does, in a few words (F1 help, README). */
  label: string;
  /** Shown in the one-line help for its scope. */
  inHelpLine?: boolean;
}

export const keyBindings: readonly Binding[] = [
  {
    scope: 'global',
    action: 'run',
    keys: ['f5', 'ctrl+j', 'ctrl+return'],
    label: 'run the selection, or the statement under the cursor',
    inHelpLine: true,
  },
  {
    scope: 'global',
    action: 'cancel',
    keys: ['ctrl+c'],
    label: 'cancel the running query (DuckDB interrupt)',
    inHelpLine: true,
  },
  { scope: 'global', action: 'quit', keys: ['ctrl+q'], label: 'quit', inHelpLine: true },
  {
    scope: 'global',
    action: 'focusNext',
    keys: ['tab'],
    label: 'focus the next pane (editor, results, catalog)',
    inHelpLine: true,
  },
  { scope: 'global', action: 'focusPrev', keys: ['shift+tab'], label: 'focus the previous pane' },
  { scope: 'global', action: 'help', keys: ['f1'], label: 'all keys', inHelpLine: true },
  {
    scope: 'global',
    action: 'dedupe',
    keys: ['f2'],
    label: 'dedupe panel: duplicate groups and why a row was kept',
    inHelpLine: true,
  },

  { scope: 'editor', action: 'undo', keys: ['ctrl+z'], label: 'undo', inHelpLine: true },
  { scope: 'editor', action: 'redo', keys: ['ctrl+y'], label: 'redo' },
  {
    scope: 'editor',
    action: 'historyPrev',
    keys: ['ctrl+p', 'alt+up'],
    label: 'previous query from history',
    inHelpLine: true,
  },
  { scope: 'editor', action: 'historyNext', keys: ['ctrl+n', 'alt+down'], label: 'next query from history' },
  {
    scope: 'editor',
    action: 'historySearch',
    keys: ['ctrl+r'],
    label: 'search the history (kept across restarts)',
    inHelpLine: true,
  },
  {
    scope: 'editor',
    action: 'externalEditor',
    keys: ['ctrl+o'],
    label: 'edit the text in $VISUAL or $EDITOR',
    inHelpLine: true,
  },
  { scope: 'editor', action: 'selectAll', keys: ['ctrl+a'], label: 'select all' },
  { scope: 'editor', action: 'newline', keys: ['return'], label: 'new line' },
  { scope: 'editor', action: 'backspace', keys: ['backspace'], label: 'delete before the cursor' },
  { scope: 'editor', action: 'deleteForward', keys: ['delete', 'ctrl+d'], label: 'delete under the cursor' },
  { scope: 'editor', action: 'left', keys: ['left'], label: 'cursor left' },
  { scope: 'editor', action: 'right', keys: ['right'], label: 'cursor right' },
  { scope: 'editor', action: 'up', keys: ['up'], label: 'cursor up' },
  { scope: 'editor', action: 'down', keys: ['down'], label: 'cursor down' },
  { scope: 'editor', action: 'wordLeft', keys: ['ctrl+left', 'alt+b'], label: 'word left' },
  { scope: 'editor', action: 'wordRight', keys: ['ctrl+right', 'alt+f'], label: 'word right' },
  { scope: 'editor', action: 'lineStart', keys: ['home'], label: 'start of line' },
  { scope: 'editor', action: 'lineEnd', keys: ['end', 'ctrl+e'], label: 'end of line' },
  { scope: 'editor', action: 'docStart', keys: ['ctrl+home'], label: 'start of text' },
  { scope: 'editor', action: 'docEnd', keys: ['ctrl+end'], label: 'end of text' },
  { scope: 'editor', action: 'pageUp', keys: ['pageup'], label: 'page up' },
  { scope: 'editor', action: 'pageDown', keys: ['pagedown'], label: 'page down' },
  { scope: 'editor', action: 'selectLeft', keys: ['shift+left'], label: 'extend the selection left' },
  { scope: 'editor', action: 'selectRight', keys: ['shift+right'], label: 'extend the selection right' },
  { scope: 'editor', action: 'selectUp', keys: ['shift+up'], label: 'extend the selection up' },
  { scope: 'editor', action: 'selectDown', keys: ['shift+down'], label: 'extend the selection down' },
  { scope: 'editor', action: 'selectLineStart', keys: ['shift+home'], label: 'select to start of line' },
  { scope: 'editor', action: 'selectLineEnd', keys: ['shift+end'], label: 'select to end of line' },

  {
    scope: 'completion',
    action: 'accept',
    keys: ['tab', 'return'],
    label: 'accept the highlighted completion',
    inHelpLine: true,
  },
  { scope: 'completion', action: 'up', keys: ['up'], label: 'previous completion' },
  { scope: 'completion', action: 'down', keys: ['down'], label: 'next completion', inHelpLine: true },
  { scope: 'completion', action: 'close', keys: ['escape'], label: 'close the list', inHelpLine: true },

  { scope: 'results', action: 'up', keys: ['up', 'k'], label: 'row up' },
  { scope: 'results', action: 'down', keys: ['down', 'j'], label: 'row down' },
  { scope: 'results', action: 'left', keys: ['left', 'h'], label: 'column left (scrolls)' },
  { scope: 'results', action: 'right', keys: ['right', 'l'], label: 'column right (scrolls)' },
  { scope: 'results', action: 'pageUp', keys: ['pageup'], label: 'page up' },
  { scope: 'results', action: 'pageDown', keys: ['pagedown', ' '], label: 'page down' },
  { scope: 'results', action: 'firstRow', keys: ['g', 'ctrl+home'], label: 'first row' },
  { scope: 'results', action: 'lastRow', keys: ['G', 'ctrl+end'], label: 'last fetched row' },
  { scope: 'results', action: 'firstColumn', keys: ['home'], label: 'first column' },
  { scope: 'results', action: 'lastColumn', keys: ['end'], label: 'last column' },
  { scope: 'results', action: 'detail', keys: ['return'], label: 'record/cell detail', inHelpLine: true },
  {
    scope: 'results',
    action: 'chart',
    keys: ['c'],
    label: 'chart the column over the whole result',
    inHelpLine: true,
  },
  {
    scope: 'results',
    action: 'map',
    keys: ['M'],
    label: 'map latitude/longitude of the whole result',
    inHelpLine: true,
  },
  { scope: 'results', action: 'copyCell', keys: ['y'], label: 'copy the cell (OSC 52)', inHelpLine: true },
  { scope: 'results', action: 'copyRow', keys: ['Y'], label: 'copy the row as TSV' },
  {
    scope: 'results',
    action: 'sort',
    keys: ['s'],
    label: 'sort by the column (asc, desc, off; re-queries)',
    inHelpLine: true,
  },
  { scope: 'results', action: 'fetchMore', keys: ['m'], label: 'fetch more rows', inHelpLine: true },
  { scope: 'results', action: 'profile', keys: ['p'], label: 'column profile (SUMMARIZE)', inHelpLine: true },
  {
    scope: 'results',
    action: 'frequency',
    keys: ['f'],
    label: 'value frequencies of the column',
    inHelpLine: true,
  },
  {
    scope: 'results',
    action: 'exportCsv',
    keys: ['e'],
    label: 'export the whole result to CSV (current folder)',
    inHelpLine: true,
  },
  {
    scope: 'results',
    action: 'exportParquet',
    keys: ['E'],
    label: 'export the whole result to Parquet',
    inHelpLine: true,
  },
  { scope: 'results', action: 'copyResult', keys: ['A'], label: 'copy the whole result as TSV' },
  {
    scope: 'results',
    action: 'back',
    keys: ['b', 'backspace'],
    label: 'back to the previous result (re-runs it)',
    inHelpLine: true,
  },

  { scope: 'catalog', action: 'up', keys: ['up', 'k'], label: 'previous entry' },
  { scope: 'catalog', action: 'down', keys: ['down', 'j'], label: 'next entry' },
  { scope: 'catalog', action: 'pageUp', keys: ['pageup'], label: 'page up' },
  { scope: 'catalog', action: 'pageDown', keys: ['pagedown'], label: 'page down' },
  {
    scope: 'catalog',
    action: 'insertName',
    keys: ['return'],
    label: 'insert the name into the editor',
    inHelpLine: true,
  },

  { scope: 'detail', action: 'up', keys: ['up', 'k'], label: 'scroll up' },
  { scope: 'detail', action: 'down', keys: ['down', 'j'], label: 'scroll down' },
  { scope: 'detail', action: 'left', keys: ['left', 'h'], label: 'previous record' },
  { scope: 'detail', action: 'right', keys: ['right', 'l'], label: 'next record' },
  { scope: 'detail', action: 'close', keys: ['escape', 'return', 'q'], label: 'close', inHelpLine: true },

  { scope: 'chart', action: 'left', keys: ['left', 'h'], label: 'chart the previous column' },
  { scope: 'chart', action: 'right', keys: ['right', 'l'], label: 'chart the next column' },
  { scope: 'chart', action: 'close', keys: ['escape', 'q', 'c'], label: 'close', inHelpLine: true },

  { scope: 'map', action: 'up', keys: ['up', 'k'], label: 'cursor north (pans at the edge)' },
  { scope: 'map', action: 'down', keys: ['down', 'j'], label: 'cursor south' },
  { scope: 'map', action: 'left', keys: ['left', 'h'], label: 'cursor west' },
  { scope: 'map', action: 'right', keys: ['right', 'l'], label: 'cursor east' },
  { scope: 'map', action: 'panUp', keys: ['shift+up', 'K'], label: 'pan north a quarter' },
  { scope: 'map', action: 'panDown', keys: ['shift+down', 'J'], label: 'pan south a quarter' },
  { scope: 'map', action: 'panLeft', keys: ['shift+left', 'H'], label: 'pan west a quarter' },
  { scope: 'map', action: 'panRight', keys: ['shift+right', 'L'], label: 'pan east a quarter' },
  { scope: 'map', action: 'zoomIn', keys: ['+', '='], label: 'zoom in at the cursor', inHelpLine: true },
  { scope: 'map', action: 'zoomOut', keys: ['-'], label: 'zoom out', inHelpLine: true },
  { scope: 'map', action: 'fit', keys: ['0'], label: 'show every point' },
  {
    scope: 'map',
    action: 'mark',
    keys: [' '],
    label: 'mark a corner of a box (again: drop it)',
    inHelpLine: true,
  },
  {
    scope: 'map',
    action: 'boxQuery',
    keys: ['return'],
    label: 'query the rows inside the box',
    inHelpLine: true,
  },
  { scope: 'map', action: 'colour', keys: ['C'], label: 'colour by the next column', inHelpLine: true },
  { scope: 'map', action: 'close', keys: ['escape', 'q', 'M'], label: 'close', inHelpLine: true },

  { scope: 'history', action: 'up', keys: ['up', 'ctrl+r'], label: 'older match' },
  { scope: 'history', action: 'down', keys: ['down'], label: 'newer match' },
  { scope: 'history', action: 'accept', keys: ['return'], label: 'put it in the editor', inHelpLine: true },
  { scope: 'history', action: 'backspace', keys: ['backspace'], label: 'delete a search character' },
  { scope: 'history', action: 'close', keys: ['escape'], label: 'close', inHelpLine: true },

  { scope: 'dedupe', action: 'up', keys: ['up', 'k'], label: 'previous group' },
  { scope: 'dedupe', action: 'down', keys: ['down', 'j'], label: 'next group' },
  { scope: 'dedupe', action: 'left', keys: ['left', 'h'], label: 'scroll candidates left' },
  { scope: 'dedupe', action: 'right', keys: ['right', 'l'], label: 'scroll candidates right' },
  { scope: 'dedupe', action: 'close', keys: ['escape', 'q', 'f2'], label: 'close', inHelpLine: true },

  { scope: 'help', action: 'close', keys: ['escape', 'q', 'f1', 'return'], label: 'close', inHelpLine: true },
];

/** The first of the scopes that binds the key, else the globals: overlays and panes go first. */
export function actionFor(scopes: Scope | readonly Scope[], id: string): Action | undefined {
  for (const scope of typeof scopes === 'string' ? [scopes] : scopes) {
    const own = keyBindings.find((b) => b.scope === scope && b.keys.includes(id));
    if (own) return own.action;
  }
  return keyBindings.find((b) => b.scope === 'global' && b.keys.includes(id))?.action;
}

/** 'ctrl+j' -> 'Ctrl+J', 'f5' -> 'F5', 'shift+tab' -> 'Shift+Tab', ' ' -> 'Space'. */
export function displayKey(id: string): string {
  if (id === ' ') return 'Space';
  if (id === '+') return '+';
  return id
    .split('+')
    .map((p, _i, all) =>
      p.length === 1
        ? all.length > 1
          ? p.toUpperCase()
          : p
        : p === 'return'
          ? 'Enter'
          : p === 'pageup'
            ? 'PgUp'
            : p === 'pagedown'
              ? 'PgDn'
              : p === 'escape'
                ? 'Esc'
                : p[0]!.toUpperCase() + p.slice(1),
    )
    .join('+');
}

/** Every action's word in the help line (a Record, so a new action without one does not compile). */
const shortLabels: Record<Action, string> = {
  run: 'run',
  cancel: 'cancel',
  quit: 'quit',
  focusNext: 'focus',
  focusPrev: 'unfocus',
  help: 'keys',
  dedupe: 'dedupe',
  undo: 'undo',
  redo: 'redo',
  historyPrev: 'history',
  historyNext: 'next',
  historySearch: 'search',
  externalEditor: '$EDITOR',
  selectAll: 'all',
  newline: 'newline',
  backspace: 'delete',
  deleteForward: 'delete',
  left: 'left',
  right: 'right',
  up: 'up',
  down: 'next',
  wordLeft: 'word',
  wordRight: 'word',
  lineStart: 'start',
  lineEnd: 'end',
  docStart: 'top',
  docEnd: 'bottom',
  pageUp: 'page',
  pageDown: 'page',
  selectLeft: 'select',
  selectRight: 'select',
  selectUp: 'select',
  selectDown: 'select',
  selectLineStart: 'select',
  selectLineEnd: 'select',
  detail: 'detail',
  sort: 'sort',
  fetchMore: 'more',
  profile: 'profile',
  frequency: 'freq',
  exportCsv: 'csv',
  exportParquet: 'parquet',
  back: 'back',
  firstRow: 'first',
  lastRow: 'last',
  firstColumn: 'first',
  lastColumn: 'last',
  insertName: 'insert',
  accept: 'accept',
  chart: 'chart',
  map: 'map',
  copyCell: 'copy',
  copyRow: 'row',
  copyResult: 'all',
  panLeft: 'pan',
  panRight: 'pan',
  panUp: 'pan',
  panDown: 'pan',
  zoomIn: 'zoom',
  zoomOut: 'out',
  fit: 'fit',
  mark: 'box',
  boxQuery: 'filter',
  colour: 'colour',
  close: 'close',
};

/** The one-line help for a scope: its own bindings, then the globals, from the table above. */
export function helpItems(scope: Scope): string[] {
  const own = keyBindings.filter((b) => b.scope === scope && b.inHelpLine);
  const global =
    scope === 'help' || scope === 'detail' || scope === 'chart' || scope === 'map' || scope === 'history'
      ? []
      : keyBindings.filter((b) => b.scope === 'global' && b.inHelpLine);
  return [...global.slice(0, 2), ...own, ...global.slice(2)].map(
    (b) =>
      `${b.keys
        .filter((k) => k !== 'ctrl+return' && k !== 'backspace' && k !== '=')
        .slice(0, b.action === 'run' ? 2 : 1)
        .map(displayKey)
        .join('/')} ${shortLabels[b.action] ?? b.label}`,
  );
}

/** The README's keys table (Markdown). */
export function keysMarkdown(): string {
  const scopeNames: Record<Scope, string> = {
    global: 'anywhere',
    editor: 'editor',
    completion: 'completion list',
    results: 'results',
    catalog: 'catalog',
    detail: 'detail view',
    chart: 'chart',
    map: 'map',
    history: 'history search',
    dedupe: 'dedupe panel',
    help: 'help',
  };
  const rows = keyBindings
    .filter((b) => b.scope !== 'help')
    .map(
      (b) =>
        `| ${scopeNames[b.scope]} | ${b.keys.map((k) => `\`${displayKey(k)}\``).join(', ')} | ${b.label} |`,
    );
  return ['| where | keys | does |', '|---|---|---|', ...rows].join('\n');
}
