import { memo } from 'react';
import { Box, Text } from 'ink';
import { offsetOf, selectionRange, type EditorState } from '../editorState.js';
import { theme } from '../theme.js';

export interface EditorViewProps {
  editor: EditorState;
  focused: boolean;
  /** Text area inside the border. */
  width: number;
  height: number;
}

/** The SQL text with the cursor and selection; scrolls to keep the cursor in view. */
export const EditorView = memo(function EditorView({ editor, focused, width, height }: EditorViewProps) {
  const { lines, cursor } = editor;
  const top = Math.max(0, cursor.row - height + 1);
  const left = Math.max(0, cursor.col - width + 2);
  const sel = selectionRange(editor);
  const empty = lines.length === 1 && lines[0] === '';
  const shown = lines.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {empty && !focused ? (
        <Text color={theme.dim}>-- type SQL here; F5 or Ctrl+J runs it</Text>
      ) : (
        shown.map((line, i) => {
          const row = top + i;
          const lineStart = offsetOf(lines, { row, col: 0 });
          const visible = line.slice(left, left + width);
          const segs: { text: string; sel: boolean; cur: boolean }[] = [];
          const chars = visible.length + (focused && row === cursor.row ? 1 : 0);
          for (let c = 0; c < chars; c++) {
            const col = left + c;
            const off = lineStart + col;
            const isSel = Boolean(sel && off >= sel[0] && off < sel[1]);
            const isCur = focused && row === cursor.row && col === cursor.col;
            const ch = visible[c] ?? ' ';
            const last = segs[segs.length - 1];
            if (last && last.sel === isSel && !last.cur && !isCur) last.text += ch;
            else segs.push({ text: ch, sel: isSel, cur: isCur });
          }
          return (
            <Text key={row} wrap="truncate">
              {segs.length === 0 ? ' ' : null}
              {segs.map((s, k) =>
                s.cur ? (
                  <Text key={k} color={theme.cursorText} backgroundColor={theme.cursorBackground}>
                    {s.text}
                  </Text>
                ) : s.sel ? (
                  <Text key={k} backgroundColor={theme.selection}>
                    {s.text}
                  </Text>
                ) : (
                  <Text key={k}>{s.text}</Text>
                ),
              )}
            </Text>
          );
        })
      )}
    </Box>
  );
});
