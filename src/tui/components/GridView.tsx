import { memo } from 'react';
import { Box, Text } from 'ink';
import type { GridState, ResultState } from '../appState.js';
import { displayCell, fit, frozenCount, isNumericType, typeLabel, visibleColumns } from '../gridLayout.js';
import { theme } from '../theme.js';

export interface GridViewProps {
  result: ResultState | undefined;
  grid: GridState;
  focused: boolean;
  width: number;
  /** Lines available, header included. */
  height: number;
}

/**
 * The visible window of the result: names, types, then rows top..top+height-1, frozen first
 * column; numbers right-aligned, NULL as ∅ (dim), large integers with thousands separators.
 */
export const GridView = memo(function GridView({ result, grid, focused, width, height }: GridViewProps) {
  if (!result) {
    return (
      <Box width={width} height={height} flexDirection="column">
        <Text color={theme.dim}>No result yet. Write a query above and press F5 (or Ctrl+J).</Text>
        <Text color={theme.dim}>
          Try: SELECT route_id, count(*) AS pings FROM vehicle_positions GROUP BY ALL ORDER BY pings DESC
        </Text>
      </Box>
    );
  }
  if (result.columns.length === 0) {
    return <Text color={theme.dim}>The statement returned no columns.</Text>;
  }
  const cols = visibleColumns(result.widths, grid.left, width);
  const frozen = frozenCount(result.widths);
  const right = result.types.map((t) => isNumericType(t));
  const sep = (i: number) => (i === frozen - 1 ? '┃' : '│');
  const header = cols.map((c, i) => {
    const arrow =
      result.sort?.column === result.columns[c] ? (result.sort?.direction === 'asc' ? '▲' : '▼') : '';
    return {
      text: fit(result.columns[c]! + arrow, result.widths[c]!, right[c]),
      type: fit(typeLabel(result.types[c]), result.widths[c]!, right[c]),
      sep: i < cols.length - 1 ? sep(c) : '',
      col: c,
    };
  });
  const bodyRows = Math.max(0, height - 2);
  const rows = result.rows.slice(grid.top, grid.top + bodyRows);
  const more = grid.left > frozen ? '◀' : '';
  return (
    <Box width={width} height={height} flexDirection="column">
      <Text wrap="truncate" bold>
        {header.map((h) => (
          <Text
            key={h.col}
            color={focused && h.col === grid.col ? theme.borderFocused : theme.header}
            underline={h.col === grid.col}
            inverse={theme.mono && focused && h.col === grid.col}
          >
            {h.text}
            <Text color={theme.frozenSeparator}>{h.sep}</Text>
          </Text>
        ))}
        {more ? <Text color={theme.dim}>{more}</Text> : null}
      </Text>
      <Text wrap="truncate" color={theme.dim}>
        {header.map((h) => h.type + (h.sep ? h.sep : '')).join('')}
      </Text>
      {rows.map((row, i) => {
        const r = grid.top + i;
        const selectedRow = r === grid.row;
        // One Text per run of equal style: a few nodes per row keeps each keystroke's layout cheap.
        const segs: { text: string; style: 'plain' | 'null' | 'cell' }[] = [];
        cols.forEach((c, k) => {
          const v = row[c] ?? null;
          const style = selectedRow && c === grid.col ? 'cell' : v === null ? 'null' : 'plain';
          const text = fit(displayCell(v, result.types[c]), result.widths[c]!, right[c]);
          const tail = k < cols.length - 1 ? sep(c) : '';
          const last = segs[segs.length - 1];
          if (last && last.style === style) last.text += text;
          else segs.push({ text, style });
          if (tail) {
            const l2 = segs[segs.length - 1]!;
            if (l2.style === 'plain') l2.text += tail;
            else segs.push({ text: tail, style: 'plain' });
          }
        });
        return (
          <Text
            key={r}
            wrap="truncate"
            backgroundColor={selectedRow ? theme.selectedRow : undefined}
            underline={theme.mono && selectedRow}
          >
            {segs.map((g, k) =>
              g.style === 'cell' ? (
                <Text
                  key={k}
                  color={theme.cursorText}
                  backgroundColor={focused ? theme.cursorBackground : theme.dim}
                  inverse={theme.mono}
                >
                  {g.text}
                </Text>
              ) : g.style === 'null' ? (
                <Text key={k} color={theme.nullValue}>
                  {g.text}
                </Text>
              ) : (
                g.text
              ),
            )}
          </Text>
        );
      })}
    </Box>
  );
});
