import { memo } from 'react';
import { Box, Text } from 'ink';
import type { CatalogEntry } from '../appState.js';
import { fit } from '../gridLayout.js';
import { theme } from '../theme.js';

export interface CatalogViewProps {
  entries: CatalogEntry[];
  selected: number;
  focused: boolean;
  width: number;
  height: number;
}

/** Tables and views, each followed by its columns and their types. */
export const CatalogView = memo(function CatalogView({
  entries,
  selected,
  focused,
  width,
  height,
}: CatalogViewProps) {
  const top = Math.max(0, Math.min(selected - Math.floor(height / 2), entries.length - height));
  const shown = entries.slice(top, top + height);
  if (entries.length === 0) {
    return (
      <Box width={width} height={height}>
        <Text color={theme.dim} wrap="wrap">
          no tables or views yet
        </Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((e, i) => {
        const isSel = top + i === selected;
        const text =
          e.kind === 'relation'
            ? fit(`${e.relation.kind === 'view' ? '◇' : '▦'} ${e.name}`, width)
            : fit(`  ${e.name} ${e.type ?? ''}`, width);
        return (
          <Text
            key={top + i}
            wrap="truncate"
            bold={e.kind === 'relation'}
            color={isSel && focused ? theme.cursorText : e.kind === 'column' ? theme.dim : undefined}
            backgroundColor={isSel ? (focused ? theme.cursorBackground : theme.selectedRow) : undefined}
          >
            {text}
          </Text>
        );
      })}
    </Box>
  );
});
