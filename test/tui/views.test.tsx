import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { mapReducer, type MapState } from '../../src/tui/appState.js';
import { ChartView } from '../../src/tui/components/ChartView.js';
import { EditorView } from '../../src/tui/components/EditorView.js';
import { HistoryView } from '../../src/tui/components/HistoryView.js';
import { MapView } from '../../src/tui/components/MapView.js';
import { createEditor } from '../../src/tui/editorState.js';
import { fitView } from '../../src/tui/mapModel.js';

describe('the new views (ink-testing-library)', () => {
  it('EditorView marks the statement under the cursor and shows the completion list below the word', () => {
    const editor = createEditor('SELECT 1;\nselect vehicle_i');
    const { lastFrame } = render(
      <EditorView
        editor={editor}
        focused
        width={60}
        height={5}
        completion={{
          start: 17,
          prefix: 'vehicle_i',
          selected: 0,
          items: [
            { text: 'vehicle_id', kind: 'column', detail: 'vehicle_positions VARCHAR' },
            { text: 'vehicle_positions', kind: 'view', detail: 'view' },
          ],
        }}
      />,
    );
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/^ SELECT 1;/); // not the statement under the cursor: no mark
    expect(lines[1]).toMatch(/^▎select vehicle_i/);
    expect(lines[2]).toMatch(/^ {8}›vehicle_id\s+vehicle_positions VARCHAR/);
    expect(lines[3]).toMatch(/^ {9}vehicle_positions\s+view/);
  });
  it('ChartView draws time buckets with the unit and counts', () => {
    const { lastFrame } = render(
      <ChartView
        width={90}
        height={10}
        chart={{
          kind: 'chart',
          column: 'timestamp',
          type: 'TIMESTAMP WITH TIME ZONE',
          chart: {
            kind: 'time',
            column: 'timestamp',
            rows: 3000,
            values: 3000,
            widthUs: 3600e6,
            unit: 'hour',
            startUs: Date.UTC(2021, 8, 6) * 1000,
            counts: [1000, 500, 1500],
          },
        }}
      />,
    );
    const frame = lastFrame()!;
    expect(frame).toContain('timestamp: rows per hour (UTC) · 3,000 rows · 3 buckets · busiest 1,500');
    expect(frame).toMatch(/^1,500 ┤/m);
    expect(frame).toContain('09-06 00h');
    // The third bucket is the tallest: full blocks in the top row only there.
    const top = frame.split('\n')[1]!;
    expect(top.indexOf('█')).toBeGreaterThan(top.indexOf('┤') + 30);
  });
  it('MapView draws the dots, the cursor, a scale bar and the box being selected', () => {
    const extent = { rows: 2, points: 2, south: 42.3, north: 42.4, west: -71.1, east: -71.0 };
    let map: MapState = {
      kind: 'map',
      latitude: 'latitude',
      longitude: 'longitude',
      colourChoices: ['route_id'],
      cursor: { x: 0, y: 0 },
    };
    map = mapReducer(map, { type: 'mapExtent', extent }, { w: 60, h: 6 });
    map = mapReducer(
      map,
      {
        type: 'mapDots',
        dots: [
          { x: 0, y: 0, n: 1 },
          { x: 119, y: 23, n: 1 },
        ],
      },
      { w: 60, h: 6 },
    );
    map = mapReducer(map, { type: 'mapAnchor' }, { w: 60, h: 6 });
    map = mapReducer(map, { type: 'mapMove', dx: 2, dy: 1 }, { w: 60, h: 6 });
    const { lastFrame } = render(<MapView map={map} cellsW={60} cellsH={6} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/^2 of 2 points · view 42\.\d+N–42\.\d+N, 71\.\d+W–70\.\d+W/);
    expect(lines[1]![0]).toBe('\u2801'); // dot (0,0): top-left of the first cell
    expect(lines[6]![59]).toBe('\u2880'); // dot (119,23): bottom-right of the last cell
    expect(lines[7]).toMatch(/^├─*┤ \d+ (k?m)/);
    expect(lines[7]).toMatch(/ box 42\.\d+N/);
  });
  it('the map pans when the cursor goes past an edge, and the box corner stays on the ground', () => {
    const extent = { rows: 1, points: 1, south: 42, north: 43, west: -72, east: -71 };
    let map: MapState = mapReducer(
      { kind: 'map', latitude: 'la', longitude: 'lo', colourChoices: [], cursor: { x: 0, y: 0 } },
      { type: 'mapExtent', extent },
      { w: 10, h: 4 },
    );
    const before = map.view!;
    map = mapReducer(map, { type: 'mapAnchor' }, { w: 10, h: 4 });
    map = mapReducer(map, { type: 'mapMove', dx: 7, dy: 0 }, { w: 10, h: 4 });
    // From the centre (5, 2), 7 to the right: the cursor stops at 9, the map moves 3 cells east.
    expect(map.cursor).toEqual({ x: 9, y: 2 });
    expect(map.anchor).toEqual({ x: 2, y: 2 });
    expect(map.view!.centerLon).toBeGreaterThan(before.centerLon);
    expect(fitView(extent, 10, 4)).toEqual(before);
  });
  it('HistoryView lists the matches newest first', () => {
    const { lastFrame } = render(
      <HistoryView
        width={60}
        height={5}
        search={{ kind: 'history', query: 'route', selected: 0 }}
        history={['SELECT route_id FROM a', 'SELECT 1', 'SELECT route_id\nFROM b']}
      />,
    );
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toContain('history search: route');
    expect(lines[0]).toContain('2 of 3');
    expect(lines[1]).toMatch(/^SELECT route_id FROM b/);
    expect(lines[2]).toMatch(/^SELECT route_id FROM a/);
  });
});
