import { Box, Text } from 'ink';
import type { DedupeState } from '../appState.js';
import { cellLine, fit } from '../gridLayout.js';
import { theme } from '../theme.js';

export interface DedupeViewProps {
  dedupe: DedupeState;
  ruleText: string;
  width: number;
  height: number;
}

/**
 * Left: duplicate groups, conflicting first. Right: the selected group's candidates side by side
 * (one column each, the kept one marked), columns whose values differ highlighted.
 */
const lineage = new Set(['feed_timestamp', 'source_key', 'entity_index']);

export function DedupeView({ dedupe, ruleText, width, height }: DedupeViewProps) {
  const listWidth = Math.min(44, Math.max(24, Math.floor(width * 0.35)));
  const detailWidth = width - listWidth - 1;
  const listRows = height - 1;
  const top = Math.max(
    0,
    Math.min(dedupe.selected - Math.floor(listRows / 2), dedupe.groups.length - listRows),
  );
  const groups = dedupe.groups.slice(top, top + listRows);
  const page = dedupe.candidates;
  let detail: {
    key: string;
    label: string;
    cells: string[];
    differs: boolean;
    header?: boolean;
    keptIndex?: number;
  }[] = [];
  let candWidth = 0;
  let nameWidth = 0;
  if (page && page.rows.length > 0) {
    const dataCols = page.columns.map((c, i) => ({ c, i }));
    nameWidth = Math.min(22, Math.max(...dataCols.map((x) => x.c.length)) + 1);
    const shown = page.rows.slice(dedupe.left);
    candWidth = Math.max(
      12,
      Math.min(26, Math.floor((detailWidth - nameWidth) / Math.max(1, Math.min(shown.length, 3))) - 1),
    );
    const kept = shown.map((r) => r.kept);
    detail.push({
      key: 'h',
      label: 'candidate',
      header: true,
      differs: false,
      cells: shown.map((_r, i) => `#${dedupe.left + i + 1}${kept[i] ? ' ✓ KEPT' : ' dropped'}`),
    });
    for (const { c, i } of dataCols) {
      const values = page.rows.map((r) => r.values[i] ?? null);
      // Lineage differs by construction; what matters is whether the data the rule chose between differs.
      const differs = !lineage.has(c) && new Set(values.map((v) => (v === null ? '\u0000null' : v))).size > 1;
      detail.push({ key: c, label: c, differs, cells: shown.map((r) => cellLine(r.values[i] ?? null)) });
    }
  }
  detail = detail.slice(0, height - 2);
  const g = dedupe.groups[dedupe.selected];
  return (
    <Box width={width} height={height} flexDirection="row">
      <Box flexDirection="column" width={listWidth}>
        <Text bold color={theme.title} wrap="truncate">
          {dedupe.groups.length >= 1000 ? `first ${dedupe.groups.length}` : dedupe.groups.length} duplicate
          groups (⚠ = values differ)
        </Text>
        {groups.map((grp, i) => {
          const sel = top + i === dedupe.selected;
          return (
            <Text
              key={`${grp.vehicleId}-${grp.timestampUs}`}
              wrap="truncate"
              backgroundColor={sel ? theme.selectedRow : undefined}
              inverse={theme.mono && sel}
            >
              <Text color={grp.conflicting ? theme.conflicting : undefined}>
                {grp.conflicting ? '⚠' : ' '}
              </Text>
              {fit(` ${grp.vehicleId} ${grp.timestamp.slice(0, 19)} ×${grp.candidates}`, listWidth - 1)}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" width={detailWidth} marginLeft={1}>
        <Text wrap="truncate" color={theme.dim}>
          {g
            ? `${g.vehicleId} @ ${g.timestamp}: ${g.conflicting ? `differs in ${g.differing}` : 'identical candidates'}. `
            : ''}
          {ruleText}
        </Text>
        {detail.map((d) => (
          <Text key={d.key} wrap="truncate" bold={d.header}>
            <Text color={d.differs ? theme.differs : theme.header}>{fit(d.label, nameWidth)}</Text>
            {d.cells.map((c, k) => (
              <Text
                key={k}
                color={d.header && c.includes('KEPT') ? theme.kept : d.differs ? theme.differs : undefined}
                inverse={d.differs && !d.header}
              >
                {' '}
                {fit(c, candWidth)}
              </Text>
            ))}
          </Text>
        ))}
        {!page ? <Text color={theme.dim}>loading candidates…</Text> : null}
      </Box>
    </Box>
  );
}
