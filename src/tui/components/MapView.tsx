import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { MapState } from '../appState.js';
import { thousands } from '../chartModel.js';
import { brailleCells, cellCentre, cellsBox, fitView, formatBox, scaleBar, viewGrid } from '../mapModel.js';
import { theme } from '../theme.js';

export interface MapViewProps {
  map: MapState;
  /** Drawing area in cells (the pane less a title and two lines below). */
  cellsW: number;
  cellsH: number;
}

/** Every point of the result as braille dots (2x4 a cell), coloured by a column's commonest value. */
export function MapView({ map, cellsW, cellsH }: MapViewProps) {
  const cells = useMemo(() => brailleCells(map.dots ?? [], cellsW, cellsH), [map.dots, cellsW, cellsH]);
  const legend = useMemo(() => {
    if (!map.colour || !map.dots) return new Map<string | null, string>();
    const counts = new Map<string | null, number>();
    for (const d of map.dots) counts.set(d.colour ?? null, (counts.get(d.colour ?? null) ?? 0) + d.n);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, theme.palette.length);
    return new Map(top.map(([v], i) => [v, theme.palette[i]!]));
  }, [map.dots, map.colour]);
  const colourOf = useCallback(
    (x: number, y: number) => {
      const v = cells.colours[y]![x];
      return map.colour && v !== undefined ? (legend.get(v) ?? theme.dim) : theme.mapPoint;
    },
    [cells, legend, map.colour],
  );
  const plain = useMemo(
    () => cells.rows.map((row, y) => rowSegments(row, y, colourOf, undefined, () => false)),
    [cells, colourOf],
  );
  if (map.extent && !map.view) {
    return (
      <Box width={cellsW} height={cellsH + 3}>
        <Text color={theme.dim}>
          no points to draw: none of {thousands(map.extent.rows)} rows has a {map.latitude} in [-90, 90] and a{' '}
          {map.longitude} in [-180, 180]
        </Text>
      </Box>
    );
  }
  if (!map.view || !map.extent) {
    return (
      <Box width={cellsW} height={cellsH + 3}>
        <Text color={theme.dim}>
          finding the points of {map.latitude}/{map.longitude} in the whole result…
        </Text>
      </Box>
    );
  }
  const grid = viewGrid(map.view, cellsW, cellsH);
  const viewBox = cellsBox(grid, { x: 0, y: 0 }, { x: cellsW - 1, y: cellsH - 1 });
  const box = map.anchor ? { a: map.anchor, b: map.cursor } : undefined;
  const inBox = (x: number, y: number) =>
    box !== undefined &&
    x >= Math.min(box.a.x, box.b.x) &&
    x <= Math.max(box.a.x, box.b.x) &&
    y >= Math.min(box.a.y, box.b.y) &&
    y <= Math.max(box.a.y, box.b.y);
  const scale = scaleBar(map.view, Math.floor(cellsW / 4));
  const here = cellCentre(grid, map.cursor.x, map.cursor.y);
  const fit = fitView(map.extent, cellsW, cellsH);
  const z = fit.dlat / map.view.dlat;
  const zoom = z >= 1 ? String(Math.round(z)) : z.toFixed(2);
  const selected = box ? formatBox(cellsBox(grid, box.a, box.b)) : undefined;
  return (
    <Box flexDirection="column" width={cellsW} height={cellsH + 3}>
      <Text wrap="truncate" color={theme.title} bold>
        {`${thousands(cells.points)} of ${thousands(map.extent.points)} points · view ${formatBox(viewBox)} · zoom ×${zoom}${map.colour ? ` · colour: ${map.colour}` : ''}`}
      </Text>
      {cells.rows.map((row, y) => {
        const boxed = box && y >= Math.min(box.a.y, box.b.y) && y <= Math.max(box.a.y, box.b.y);
        // Rows without the cursor or the box are drawn from the memo: a key redraws two rows.
        const segs =
          y === map.cursor.y || boxed ? rowSegments(row, y, colourOf, map.cursor, inBox) : plain[y]!;
        return (
          <Text key={y} wrap="truncate">
            {segs.map((s, k) => (
              <Text
                key={k}
                color={s.cur ? theme.cursorText : s.colour}
                backgroundColor={s.cur ? theme.cursorBackground : s.box ? theme.selectedRow : undefined}
                inverse={theme.mono && (s.cur || s.box)}
              >
                {s.text}
              </Text>
            ))}
          </Text>
        );
      })}
      <Text wrap="truncate">
        <Text color={theme.axis}>{`├${'─'.repeat(Math.max(0, scale.cells - 2))}┤ ${scale.label}`}</Text>
        <Text>{`  cursor ${here.lat.toFixed(5)}, ${here.lon.toFixed(5)}`}</Text>
        {selected ? <Text color={theme.mapBox}>{`  box ${selected} (Enter queries it)`}</Text> : null}
      </Text>
      <Text wrap="truncate">
        {map.colour ? (
          [...legend.entries()].map(([v, c]) => (
            <Text key={String(v)} color={c}>
              {`■ ${v ?? 'NULL'}  `}
            </Text>
          ))
        ) : (
          <Text color={theme.dim}>
            points: {map.latitude}, {map.longitude} · C colours by a column
          </Text>
        )}
      </Text>
    </Box>
  );
}

type Seg = { text: string; colour: string | undefined; cur: boolean; box: boolean };

/** One map row as runs of equal style: colour value, cursor, inside the box. */
function rowSegments(
  row: string,
  y: number,
  colourOf: (x: number, y: number) => string | undefined,
  cursor: { x: number; y: number } | undefined,
  inBox: (x: number, y: number) => boolean,
): Seg[] {
  const segs: Seg[] = [];
  for (let x = 0; x < row.length; x++) {
    const colour = colourOf(x, y);
    const cur = cursor !== undefined && x === cursor.x && y === cursor.y;
    const b = inBox(x, y);
    const ch = cur && row[x] === ' ' ? '┼' : row[x]!;
    const last = segs[segs.length - 1];
    if (last && last.colour === colour && !last.cur && !cur && last.box === b) last.text += ch;
    else segs.push({ text: ch, colour, cur, box: b });
  }
  return segs;
}
