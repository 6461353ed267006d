import { Box, Text } from 'ink';
import type { ResultState } from '../appState.js';
import { fit, nullText } from '../gridLayout.js';
import { theme } from '../theme.js';

export interface DetailViewProps {
  result: ResultState;
  row: number;
  col: number;
  scroll: number;
  width: number;
  height: number;
}

/** One record, a column per line, long values wrapped whole; the selected cell first in view. */
export function DetailView({ result, row, col, scroll, width, height }: DetailViewProps) {
  const record = result.rows[row] ?? [];
  const nameWidth = Math.min(24, Math.max(...result.columns.map((c) => c.length)) + 1);
  const valueWidth = Math.max(10, width - nameWidth - 1);
  const lines: { key: string; name: string; value: string; isNull: boolean; selected: boolean }[] = [];
  const start = Math.min(scroll, result.columns.length - 1);
  for (let c = start; c < result.columns.length && lines.length < height - 1; c++) {
    const v = record[c] ?? null;
    const text = v === null ? `${nullText} NULL` : v;
    const wrapped: string[] = [];
    for (const part of text.split('\n')) {
      for (let i = 0; i < Math.max(1, part.length); i += valueWidth)
        wrapped.push(part.slice(i, i + valueWidth));
    }
    wrapped.forEach((w, i) =>
      lines.push({
        key: `${c}-${i}`,
        name: i === 0 ? result.columns[c]! : '',
        value: w,
        isNull: v === null,
        selected: c === col,
      }),
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.title} bold wrap="truncate">
        record {row + 1} of {result.rows.length}
        {result.hasMore ? '+' : ''} · ←/→ other records · ↑/↓ scroll · Esc closes
      </Text>
      {lines.slice(0, height - 1).map((l) => (
        <Text key={l.key} wrap="truncate">
          <Text color={l.selected ? theme.borderFocused : theme.header} bold={l.selected}>
            {fit(l.name, nameWidth)}
          </Text>
          <Text> </Text>
          <Text color={l.isNull ? theme.nullValue : undefined} inverse={l.selected}>
            {l.value}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
