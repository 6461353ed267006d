import { describe, expect, it } from 'vitest';
import {
  createEditor,
  editorReducer,
  editorText,
  selectedText,
  type EditorAction,
  type EditorState,
} from '../../src/tui/editorState.js';
import { splitStatements, statementAt } from '../../src/tui/sqlTokens.js';

const apply = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, s);

describe('editor reducer', () => {
  it('inserts, moves across lines, deletes, and undoes/redoes', () => {
    let s = apply(
      createEditor(),
      { type: 'insert', text: 'SELECT 1' },
      { type: 'newline' },
      { type: 'insert', text: 'FROM t' },
    );
    expect(editorText(s)).toBe('SELECT 1\nFROM t');
    s = apply(
      s,
      { type: 'move', to: 'up' },
      { type: 'move', to: 'lineEnd' },
      { type: 'backspace' },
      { type: 'insert', text: '2' },
    );
    expect(editorText(s)).toBe('SELECT 2\nFROM t');
    s = apply(s, { type: 'undo' }, { type: 'undo' });
    expect(editorText(s)).toBe('SELECT 1\nFROM t');
    s = apply(s, { type: 'redo' });
    expect(editorText(s)).toBe('SELECT \nFROM t');
  });
  it('selects with shift+arrows and replaces the selection when typing or pasting', () => {
    let s = apply(
      createEditor('SELECT abc'),
      { type: 'move', to: 'left', select: true },
      { type: 'move', to: 'left', select: true },
      { type: 'move', to: 'left', select: true },
    );
    expect(selectedText(s)).toBe('abc');
    s = apply(s, { type: 'insert', text: 'x,\r\ny' });
    expect(editorText(s)).toBe('SELECT x,\ny');
    s = apply(s, { type: 'selectAll' }, { type: 'insert', text: 'SELECT 2' });
    expect(editorText(s)).toBe('SELECT 2');
  });
  it('recalls history and comes back to the draft', () => {
    let s = apply(createEditor('', ['SELECT 1', 'SELECT 2']), { type: 'insert', text: 'draft' });
    s = apply(s, { type: 'historyPrev' });
    expect(editorText(s)).toBe('SELECT 2');
    s = apply(s, { type: 'historyPrev' }, { type: 'historyPrev' });
    expect(editorText(s)).toBe('SELECT 1');
    s = apply(s, { type: 'historyNext' }, { type: 'historyNext' });
    expect(editorText(s)).toBe('draft');
    s = apply(s, { type: 'remember', sql: 'SELECT 3' }, { type: 'remember', sql: 'SELECT 3' });
    expect(s.history).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });
});

describe('statement under the cursor', () => {
  const sql = "SELECT ';' AS a;\n-- x; y\nSELECT 2;\n\nSELECT 3";
  it('splits at top-level semicolons only', () => {
    expect(splitStatements(sql).map((s) => s.text)).toEqual([
      "SELECT ';' AS a",
      '-- x; y\nSELECT 2',
      'SELECT 3',
    ]);
  });
  it('picks the statement the cursor is in, or the one just ended on its line', () => {
    expect(statementAt(sql, 3)?.text).toBe("SELECT ';' AS a");
    expect(statementAt(sql, sql.indexOf('SELECT 2') + 3)?.text).toContain('SELECT 2');
    expect(statementAt(sql, sql.indexOf('SELECT 2;') + 9)?.text).toContain('SELECT 2');
    expect(statementAt(sql, sql.length)?.text).toBe('SELECT 3');
  });
});
