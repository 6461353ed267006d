import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { appReducer, createAppState } from '../../src/tui/appState.js';
import { DedupeView } from '../../src/tui/components/DedupeView.js';
import { GridView } from '../../src/tui/components/GridView.js';
import { HelpLine } from '../../src/tui/components/HelpLine.js';
import { StatusLine } from '../../src/tui/components/StatusLine.js';

const state = appReducer(appReducer(createAppState(0), { type: 'gridViewport', height: 5, width: 60 }), {
  type: 'resultReady',
  page: {
    columns: ['route_id', 'pings'],
    types: ['VARCHAR', 'BIGINT'],
    rows: [
      ['Red', '130'],
      ['Green-D', '12345'],
      [null, '3'],
      ['NULL', '4'],
    ],
    hasMore: true,
  },
  sql: 'q',
  baseSql: 'q',
  title: 'query',
  sort: { column: 'pings', direction: 'desc' },
  elapsedMs: 12,
  push: false,
});

describe('views', () => {
  it('GridView shows names with the sort arrow, types, numbers right-aligned with separators, and NULL apart from the string NULL', () => {
    const { lastFrame } = render(
      <GridView result={state.result} grid={state.grid} focused width={60} height={6} />,
    );
    const frame = lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^route_id\s*┃\s*pings▼$/);
    expect(lines[1]).toMatch(/^varchar\s*┃\s*bigint$/);
    expect(frame).toMatch(/Red\s*┃\s+130/);
    // 12345 is a BIGINT: a separator, and right-aligned under the 3-digit 130.
    const red = lines.find((l) => l.startsWith('Red'))!;
    const green = lines.find((l) => l.startsWith('Green-D'))!;
    expect(green).toMatch(/┃\s*12,345$/);
    expect(red.length).toBe(green.length);
    expect(frame).toMatch(/^∅\s*┃\s*3$/m);
    expect(frame).toMatch(/^NULL\s*┃\s*4$/m);
  });
  it('StatusLine shows the row count and an error in words', () => {
    const failed = appReducer(state, {
      type: 'runFailed',
      error: 'syntax error: at or near "FORM"',
      elapsedMs: 1,
    });
    const { lastFrame } = render(<StatusLine state={failed} description="lake x" width={120} />);
    expect(lastFrame()).toContain('4 of >4 rows');
    expect(lastFrame()).toContain('✗ syntax error: at or near "FORM"');
  });
  it('HelpLine lists the focused pane keys from keyBindings', () => {
    const { lastFrame } = render(<HelpLine scope="results" width={200} />);
    expect(lastFrame()).toContain('F5/Ctrl+J run');
    expect(lastFrame()).toContain('s sort');
    expect(lastFrame()).toContain('e csv');
  });
  it('DedupeView marks the kept candidate and the differing column', () => {
    const { lastFrame } = render(
      <DedupeView
        ruleText="Rule: newest feed wins."
        width={120}
        height={12}
        dedupe={{
          groups: [
            {
              vehicleId: 'y1',
              timestamp: '2022-01-01 00:00:01+00',
              candidates: 2,
              conflicting: true,
              differing: 'occupancy_status',
              timestampUs: 1n,
            },
          ],
          selected: 0,
          left: 0,
          candidates: {
            columns: ['vehicle_id', 'occupancy_status'],
            rows: [
              { kept: true, values: ['y1', 'FULL'] },
              { kept: false, values: ['y1', 'EMPTY'] },
            ],
          },
        }}
      />,
    );
    const frame = lastFrame()!;
    expect(frame).toMatch(/#1 ✓ KEPT\s+#2 dropped/);
    expect(frame).toMatch(/occupancy_status\s+FULL\s+EMPTY/);
    expect(frame).toContain('differs in');
  });
});
