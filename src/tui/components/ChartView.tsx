import { Box, Text } from 'ink';
import type { ChartState } from '../appState.js';
import { chartLines, type ChartPart } from '../chartModel.js';
import { theme } from '../theme.js';

const roleColour = (role: ChartPart['role']) =>
  role === 'bar'
    ? theme.bar
    : role === 'axis'
      ? theme.axis
      : role === 'title'
        ? theme.title
        : role === 'dim'
          ? theme.dim
          : undefined;

/** The chart of one column over the whole result (bins from DuckDB), redrawn at the pane's size. */
export function ChartView({ chart, width, height }: { chart: ChartState; width: number; height: number }) {
  if (!chart.chart || chart.chart.column !== chart.column)
    return (
      <Box width={width} height={height}>
        <Text color={theme.dim}>charting {chart.column} over the whole result…</Text>
      </Box>
    );
  const lines = chartLines(chart.chart, width, height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(0, height - 1).map((parts, i) => (
        <Text key={i} wrap="truncate">
          {parts.map((p, k) => (
            <Text key={k} color={roleColour(p.role)} bold={p.role === 'title'}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
      <Text color={theme.dim} wrap="truncate">
        {chart.chart.kind === 'top' ? 'bars: rows per value' : 'bars: rows per bin'} · ←/→ another column ·
        Esc closes
      </Text>
    </Box>
  );
}
