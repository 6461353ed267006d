/**
 * The SQL editor's state and its reducer: text as lines, a cursor, an optional selection anchor,
 * undo/redo snapshots and the query history. Pure: tested without Ink.
 */
export interface Position {
  row: number;
  col: number;
}

interface Snapshot {
  lines: string[];
  cursor: Position;
}

export interface EditorState {
  lines: string[];
  cursor: Position;
  /** Where a selection started; the selection runs from anchor to cursor. */
  anchor?: Position;
  /** Column the cursor wants when moving up/down through shorter lines. */
  goalCol?: number;
  undo: Snapshot[];
  redo: Snapshot[];
  history: string[];
  /** Index into history while recalling; history.length means the draft. */
  historyIndex: number;
  draft?: string;
  /** Rows per page for PgUp/PgDn, set by the view. */
  pageRows: number;
}

export type EditorAction =
  | { type: 'insert'; text: string }
  | { type: 'newline' }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | {
      type: 'move';
      to:
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
        | 'pageDown';
      select?: boolean;
    }
  | { type: 'selectAll' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'setText'; text: string }
  | { type: 'remember'; sql: string }
  | { type: 'historyPrev' }
  | { type: 'historyNext' }
  | { type: 'setPageRows'; rows: number };

const undoLimit = 200;
const historyLimit = 500;

export function createEditor(text = '', history: string[] = []): EditorState {
  const lines = text.split('\n');
  const row = lines.length - 1;
  return {
    lines,
    cursor: { row, col: lines[row]!.length },
    undo: [],
    redo: [],
    history,
    historyIndex: history.length,
    pageRows: 5,
  };
}

export function editorText(s: EditorState): string {
  return s.lines.join('\n');
}

export function offsetOf(lines: string[], p: Position): number {
  let o = 0;
  for (let r = 0; r < p.row; r++) o += lines[r]!.length + 1;
  return o + p.col;
}

export function positionOf(lines: string[], offset: number): Position {
  let o = offset;
  for (let row = 0; row < lines.length; row++) {
    const len = lines[row]!.length;
    if (o <= len) return { row, col: o };
    o -= len + 1;
  }
  const row = lines.length - 1;
  return { row, col: lines[row]!.length };
}

/** [start, end) offsets of the selection, or undefined when there is none. */
export function selectionRange(s: EditorState): [number, number] | undefined {
  if (!s.anchor) return undefined;
  const a = offsetOf(s.lines, s.anchor);
  const b = offsetOf(s.lines, s.cursor);
  if (a === b) return undefined;
  return a < b ? [a, b] : [b, a];
}

export function selectedText(s: EditorState): string | undefined {
  const r = selectionRange(s);
  return r ? editorText(s).slice(r[0], r[1]) : undefined;
}

function snapshot(s: EditorState): Snapshot {
  return { lines: s.lines, cursor: s.cursor };
}

/** Replaces [start, end) with text, recording an undo step. */
function replaceRange(s: EditorState, start: number, end: number, text: string): EditorState {
  const all = editorText(s);
  const next = all.slice(0, start) + text + all.slice(end);
  const lines = next.split('\n');
  const { anchor: _a, goalCol: _g, ...rest } = s;
  return {
    ...rest,
    lines,
    cursor: positionOf(lines, start + text.length),
    undo: [...s.undo.slice(-undoLimit + 1), snapshot(s)],
    redo: [],
  };
}

function insertText(s: EditorState, text: string): EditorState {
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
  const sel = selectionRange(s);
  const at = offsetOf(s.lines, s.cursor);
  return replaceRange(s, sel ? sel[0] : at, sel ? sel[1] : at, clean);
}

const wordChar = /[\p{L}\p{N}_]/u;

function moveCursor(
  s: EditorState,
  to: Extract<EditorAction, { type: 'move' }>['to'],
): { cursor: Position; goalCol?: number } {
  const { row, col } = s.cursor;
  const line = s.lines[row]!;
  const vertical = (delta: number) => {
    const r = Math.max(0, Math.min(s.lines.length - 1, row + delta));
    const goal = s.goalCol ?? col;
    if (r === row) return { cursor: { row, col: delta < 0 ? 0 : line.length } };
    return { cursor: { row: r, col: Math.min(goal, s.lines[r]!.length) }, goalCol: goal };
  };
  switch (to) {
    case 'left':
      if (col > 0) return { cursor: { row, col: col - 1 } };
      return { cursor: row > 0 ? { row: row - 1, col: s.lines[row - 1]!.length } : s.cursor };
    case 'right':
      if (col < line.length) return { cursor: { row, col: col + 1 } };
      return { cursor: row < s.lines.length - 1 ? { row: row + 1, col: 0 } : s.cursor };
    case 'up':
      return vertical(-1);
    case 'down':
      return vertical(1);
    case 'pageUp':
      return vertical(-s.pageRows);
    case 'pageDown':
      return vertical(s.pageRows);
    case 'lineStart': {
      const indent = line.length - line.trimStart().length;
      return { cursor: { row, col: col === indent ? 0 : indent } };
    }
    case 'lineEnd':
      return { cursor: { row, col: line.length } };
    case 'docStart':
      return { cursor: { row: 0, col: 0 } };
    case 'docEnd':
      return { cursor: { row: s.lines.length - 1, col: s.lines[s.lines.length - 1]!.length } };
    case 'wordLeft': {
      if (col === 0) return moveCursor(s, 'left');
      let c = col;
      while (c > 0 && !wordChar.test(line[c - 1]!)) c--;
      while (c > 0 && wordChar.test(line[c - 1]!)) c--;
      return { cursor: { row, col: c } };
    }
    case 'wordRight': {
      if (col === line.length) return moveCursor(s, 'right');
      let c = col;
      while (c < line.length && !wordChar.test(line[c]!)) c++;
      while (c < line.length && wordChar.test(line[c]!)) c++;
      return { cursor: { row, col: c } };
    }
  }
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case 'insert':
      return a.text === '' ? s : insertText(s, a.text);
    case 'newline': {
      // Keep the current line's indentation.
      const indent = /^\s*/.exec(s.lines[s.cursor.row]!)![0];
      return insertText(s, `\n${indent}`);
    }
    case 'backspace': {
      const sel = selectionRange(s);
      if (sel) return replaceRange(s, sel[0], sel[1], '');
      const at = offsetOf(s.lines, s.cursor);
      return at === 0 ? s : replaceRange(s, at - 1, at, '');
    }
    case 'deleteForward': {
      const sel = selectionRange(s);
      if (sel) return replaceRange(s, sel[0], sel[1], '');
      const at = offsetOf(s.lines, s.cursor);
      return at >= editorText(s).length ? s : replaceRange(s, at, at + 1, '');
    }
    case 'move': {
      const { cursor, goalCol } = moveCursor(s, a.to);
      const { anchor: _a, goalCol: _g, ...rest } = s;
      const anchor = a.select ? (s.anchor ?? s.cursor) : undefined;
      return {
        ...rest,
        cursor,
        ...(goalCol !== undefined ? { goalCol } : {}),
        ...(anchor ? { anchor } : {}),
      };
    }
    case 'selectAll': {
      const last = s.lines.length - 1;
      return { ...s, anchor: { row: 0, col: 0 }, cursor: { row: last, col: s.lines[last]!.length } };
    }
    case 'undo': {
      const prev = s.undo[s.undo.length - 1];
      if (!prev) return s;
      const { anchor: _a, ...rest } = s;
      return { ...rest, ...prev, undo: s.undo.slice(0, -1), redo: [...s.redo, snapshot(s)] };
    }
    case 'redo': {
      const next = s.redo[s.redo.length - 1];
      if (!next) return s;
      const { anchor: _a, ...rest } = s;
      return { ...rest, ...next, redo: s.redo.slice(0, -1), undo: [...s.undo, snapshot(s)] };
    }
    case 'setText': {
      const all = editorText(s);
      return replaceRange({ ...s, anchor: undefined }, 0, all.length, a.text);
    }
    case 'remember': {
      const sql = a.sql.trim();
      if (sql === '') return s;
      const history =
        s.history[s.history.length - 1] === sql ? s.history : [...s.history, sql].slice(-historyLimit);
      const { draft: _d, ...rest } = s;
      return { ...rest, history, historyIndex: history.length };
    }
    case 'historyPrev': {
      if (s.historyIndex === 0 || s.history.length === 0) return s;
      const draft = s.historyIndex === s.history.length ? editorText(s) : s.draft;
      const index = s.historyIndex - 1;
      const next = editorReducer({ ...s, anchor: undefined }, { type: 'setText', text: s.history[index]! });
      return { ...next, historyIndex: index, ...(draft !== undefined ? { draft } : {}) };
    }
    case 'historyNext': {
      if (s.historyIndex >= s.history.length) return s;
      const index = s.historyIndex + 1;
      const text = index === s.history.length ? (s.draft ?? '') : s.history[index]!;
      const next = editorReducer({ ...s, anchor: undefined }, { type: 'setText', text });
      return { ...next, historyIndex: index };
    }
    case 'setPageRows':
      return s.pageRows === a.rows ? s : { ...s, pageRows: Math.max(1, a.rows) };
  }
}
