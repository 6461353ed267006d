import { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { CompletionState } from '../completion.js';
import { editorText, offsetOf, selectionRange, type EditorState } from '../editorState.js';
import { statementAt, tokenize, type TokenKind } from '../sqlTokens.js';
import { theme, type ThemeColour } from '../theme.js';

export interface EditorViewProps {
  editor: EditorState;
  focused: boolean;
  completion?: CompletionState | undefined;
  /** Text area inside the border (a one-column gutter marks the statement under the cursor). */
  width: number;
  height: number;
}

const tokenColour: Record<TokenKind, ThemeColour | undefined> = {
  keyword: 'sqlKeyword',
  identifier: undefined,
  quotedIdentifier: 'sqlIdentifier',
  string: 'sqlString',
  number: 'sqlNumber',
  comment: 'sqlComment',
  operator: 'sqlOperator',
  punctuation: undefined,
  parameter: 'sqlNumber',
  whitespace: undefined,
};

type Seg = { text: string; colour: ThemeColour | undefined; sel: boolean; cur: boolean };

/** The SQL text, highlighted, with the cursor, selection and completion list; scrolls to the cursor. */
export const EditorView = memo(function EditorView({
  editor,
  focused,
  completion,
  width,
  height,
}: EditorViewProps) {
  const { lines, cursor } = editor;
  const text = editorText(editor);
  const tokens = useMemo(() => tokenize(text), [text]);
  const cursorOffset = offsetOf(lines, cursor);
  const statement = useMemo(() => statementAt(text, cursorOffset), [text, cursorOffset]);
  const textWidth = Math.max(1, width - 1);
  const top = Math.max(0, cursor.row - height + 1);
  const left = Math.max(0, cursor.col - textWidth + 2);
  const sel = selectionRange(editor);
  const empty = lines.length === 1 && lines[0] === '';
  const shown = lines.slice(top, top + height);
  // Colour of every character offset, from the tokens.
  const colourAt = (off: number): ThemeColour | undefined => {
    let lo = 0;
    let hi = tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = tokens[mid]!;
      if (off < t.start) hi = mid - 1;
      else if (off >= t.end) lo = mid + 1;
      else return tokenColour[t.kind];
    }
    return undefined;
  };
  const stmtStart = statement ? text.indexOf(statement.text, statement.start) : -1;
  const stmtEnd = statement ? stmtStart + statement.text.length : -1;
  const popupRows = completion ? completion.items.length : 0;
  const popupWidth = completion
    ? Math.min(
        Math.max(12, textWidth),
        Math.max(...completion.items.map((i) => i.text.length + i.detail.length + 3)),
      )
    : 0;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {empty && !focused ? (
        <Text color={theme.dim}>-- type SQL here; F5 or Ctrl+J runs it</Text>
      ) : (
        shown.map((line, i) => {
          const row = top + i;
          const lineStart = offsetOf(lines, { row, col: 0 });
          const inStatement =
            statement !== undefined && lineStart <= stmtEnd && lineStart + line.length >= stmtStart;
          const visible = line.slice(left, left + textWidth);
          const segs: Seg[] = [];
          const chars = visible.length + (focused && row === cursor.row ? 1 : 0);
          for (let c = 0; c < chars; c++) {
            const col = left + c;
            const off = lineStart + col;
            const isSel = Boolean(sel && off >= sel[0] && off < sel[1]);
            const isCur = focused && row === cursor.row && col === cursor.col;
            const colour = c < visible.length ? colourAt(off) : undefined;
            const ch = visible[c] ?? ' ';
            const last = segs[segs.length - 1];
            if (last && last.sel === isSel && !last.cur && !isCur && last.colour === colour) last.text += ch;
            else segs.push({ text: ch, sel: isSel, cur: isCur, colour });
          }
          return (
            <Text key={row} wrap="truncate">
              <Text color={theme.statementMark}>{inStatement && statement ? '▎' : ' '}</Text>
              {segs.length === 0 ? ' ' : null}
              {segs.map((s, k) =>
                s.cur ? (
                  <Text
                    key={k}
                    color={theme.cursorText}
                    backgroundColor={theme.cursorBackground}
                    inverse={theme.mono}
                  >
                    {s.text}
                  </Text>
                ) : s.sel ? (
                  <Text key={k} backgroundColor={theme.selection} inverse={theme.mono}>
                    {s.text}
                  </Text>
                ) : (
                  <Text key={k} color={s.colour ? theme[s.colour] : undefined}>
                    {s.text}
                  </Text>
                ),
              )}
            </Text>
          );
        })
      )}
      {completion && focused ? (
        <Box
          position="absolute"
          top={cursor.row - top + 1}
          left={Math.max(0, Math.min(1 + completion.start - lineStartOf(editor) - left, width - popupWidth))}
          flexDirection="column"
          width={popupWidth}
          height={popupRows}
        >
          {completion.items.map((item, k) => {
            const selected = k === completion.selected;
            const detail = item.detail.slice(0, Math.max(0, popupWidth - item.text.length - 2));
            return (
              <Text
                key={item.text}
                wrap="truncate"
                backgroundColor={selected ? theme.cursorBackground : theme.selectedRow}
                color={selected ? theme.cursorText : undefined}
                inverse={theme.mono && selected}
              >
                {`${selected ? '›' : ' '}${item.text}${' '.repeat(Math.max(1, popupWidth - item.text.length - detail.length - 1))}`}
                <Text color={selected ? theme.cursorText : theme.dim}>{detail}</Text>
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
});

function lineStartOf(editor: EditorState): number {
  return offsetOf(editor.lines, { row: editor.cursor.row, col: 0 });
}
