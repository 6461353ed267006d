import { Box, Text } from 'ink';
import { formatElapsed, rowCountText, type AppState } from '../appState.js';
import { fit } from '../gridLayout.js';
import { theme } from '../theme.js';

export interface StatusLineProps {
  state: AppState;
  description: string;
  width: number;
}

/** running/idle, the result's size and time, and the last message or error in plain words. */
export function StatusLine({ state, description, width }: StatusLineProps) {
  const { status, result, grid } = state;
  const running = status.running;
  const left = running
    ? `● ${running.label} ${formatElapsed(state.now - running.startedAt)} (Ctrl+C cancels)`
    : '○ idle';
  const resultText = result
    ? `${rowCountText(result)} · ${formatElapsed(result.elapsedMs)} · row ${grid.row + 1} col ${grid.col + 1}/${result.columns.length}`
    : '';
  const note = status.error ? `✗ ${status.error}` : (status.message ?? '');
  const main = [resultText, note].filter(Boolean).join('  ');
  const rest = Math.max(0, width - left.length - 2);
  const right = fit(description, Math.max(0, Math.min(description.length, rest - main.length - 2)));
  return (
    <Box width={width}>
      <Text wrap="truncate">
        <Text color={running ? theme.running : theme.idle}>{left}</Text>
        <Text> </Text>
        {resultText ? <Text>{resultText}</Text> : null}
        {note ? (
          <Text color={status.error ? theme.error : theme.message}>
            {resultText ? '  ' : ''}
            {note}
          </Text>
        ) : null}
        {right.trim() ? (
          <Text color={theme.dim}>
            {' '.repeat(Math.max(2, rest - main.length - right.length))}
            {right}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
