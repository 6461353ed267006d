import { Box, Text } from 'ink';
import { displayKey, keyBindings, type Scope } from '../keyBindings.js';
import { fit } from '../gridLayout.js';
import { theme } from '../theme.js';

const order: Scope[] = ['global', 'editor', 'results', 'catalog', 'detail', 'dedupe'];

/** Every binding from keyBindings, by pane, in as many columns as fit. */
export function HelpView({ width, height }: { width: number; height: number }) {
  const lines: { key: string; text: string; heading: boolean }[] = [];
  for (const scope of order) {
    lines.push({ key: scope, text: scope === 'global' ? 'anywhere' : scope, heading: true });
    for (const b of keyBindings.filter((x) => x.scope === scope)) {
      lines.push({
        key: `${scope}-${b.action}`,
        text: `${b.keys.map(displayKey).join(' ')}: ${b.label}`,
        heading: false,
      });
    }
  }
  const rows = Math.max(1, height - 1);
  const columns = Math.ceil(lines.length / rows);
  const colWidth = Math.floor(width / columns);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.title}>
        Keys (Esc closes)
      </Text>
      {Array.from({ length: Math.min(rows, lines.length) }, (_, r) => (
        <Text key={r} wrap="truncate">
          {Array.from({ length: columns }, (_, c) => {
            const l = lines[c * rows + r];
            return l ? (
              <Text key={c} bold={l.heading} color={l.heading ? theme.key : undefined}>
                {fit(l.text, colWidth - 1)}{' '}
              </Text>
            ) : null;
          })}
        </Text>
      ))}
    </Box>
  );
}
