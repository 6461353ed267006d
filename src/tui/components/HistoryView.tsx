import { Box, Text } from 'ink';
import { historyMatches, type HistorySearch } from '../appState.js';
import { fit } from '../gridLayout.js';
import { theme } from '../theme.js';

/** Ctrl+R: the history entries containing what is typed, newest first. */
export function HistoryView({
  search,
  history,
  width,
  height,
}: {
  search: HistorySearch;
  history: readonly string[];
  width: number;
  height: number;
}) {
  const matches = historyMatches(history, search.query);
  const selected = Math.min(search.selected, Math.max(0, matches.length - 1));
  const rows = Math.max(1, height - 1);
  const top = Math.max(0, selected - rows + 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" bold color={theme.title}>
        {`history search: ${search.query}▏ (${matches.length} of ${history.length}; Enter puts it in the editor)`}
      </Text>
      {matches.slice(top, top + rows).map((m, i) => {
        const sel = top + i === selected;
        return (
          <Text
            key={top + i}
            wrap="truncate"
            backgroundColor={sel ? theme.selectedRow : undefined}
            inverse={theme.mono && sel}
          >
            {fit(m.replace(/\s+/g, ' '), width)}
          </Text>
        );
      })}
    </Box>
  );
}
