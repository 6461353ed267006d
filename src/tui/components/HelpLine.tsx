import { memo } from 'react';
import { Text } from 'ink';
import { helpItems, type Scope } from '../keyBindings.js';
import { theme } from '../theme.js';

/** One line of the bindings that matter where the focus is, from keyBindings. */
export const HelpLine = memo(function HelpLine({ scope, width }: { scope: Scope; width: number }) {
  const items = helpItems(scope);
  const parts: { key: string; label: string }[] = [];
  let used = 0;
  for (const item of items) {
    const sp = item.lastIndexOf(' ');
    const len = item.length + 2;
    if (used + len > width) break;
    used += len;
    parts.push({ key: item.slice(0, sp), label: item.slice(sp + 1) });
  }
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        <Text key={i}>
          <Text color={theme.key} bold>
            {p.key}
          </Text>
          <Text> {p.label} </Text>
        </Text>
      ))}
    </Text>
  );
});
