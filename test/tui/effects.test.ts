import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/openDatabase.js';
import { createBackend, type WorkbenchBackend } from '../../src/tui/backend.js';
import { createEffects, type Effects } from '../../src/tui/effects.js';
import { editorText } from '../../src/tui/editorState.js';
import { appendHistory, historyFile, readHistory } from '../../src/tui/historyFile.js';
import {
  createWorkbenchState,
  createWorkbenchStore,
  type WorkbenchStore,
} from '../../src/tui/workbenchStore.js';

/** The effect runner against a real DuckDB: what each key's effect leaves in the store. */
describe('workbench effects (real DuckDB backend)', () => {
  let db: Database;
  let dir: string;
  let backend: WorkbenchBackend & { close(): Promise<void> };
  let store: WorkbenchStore;
  let effects: Effects;
  const copied: string[] = [];
  const remembered: string[] = [];
  const app = () => store.getState().app;
  const type = (text: string) => {
    store.dispatch({ type: 'editor', action: { type: 'setText', text } });
  };

  beforeAll(async () => {
    db = await openDatabase();
    dir = mkdtempSync(join(tmpdir(), 'rtlake-effects-'));
    await db.connection.run(`CREATE TABLE pings AS SELECT * FROM (VALUES
      (42.35, -71.06, 'Red'), (42.36, -71.05, 'Red'), (42.30, -71.10, 'Orange'), (42.40, -71.00, NULL))
      AS t(latitude, longitude, route_id)`);
    backend = await createBackend({
      db,
      description: 'test',
      relations: ['pings'],
      rule: { grain: 'key', keep: 'latest' },
      exportDir: dir,
    });
    store = createWorkbenchStore(createWorkbenchState(''));
    store.dispatch({
      type: 'app',
      action: { type: 'gridViewport', height: 10, width: 60, paneWidth: 40, paneHeight: 13 },
    });
    effects = createEffects(backend, store, {
      exit: () => undefined,
      copy: (t) => copied.push(t),
      editExternally: async (t) => `${t} LIMIT 1`,
      remember: (sql) => remembered.push(sql),
    });
  });
  afterAll(async () => {
    await backend.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the statement under the cursor, shows its rows and remembers it', async () => {
    type('SELECT route_id, count(*) AS n FROM pings GROUP BY ALL ORDER BY n DESC, route_id');
    await effects.run('run');
    // DuckDB sorts NULL last.
    expect(app().result?.rows).toEqual([
      ['Red', '2'],
      ['Orange', '1'],
      [null, '1'],
    ]);
    expect(remembered.at(-1)).toContain('GROUP BY ALL');
    expect(store.getState().editor.history.at(-1)).toContain('GROUP BY ALL');
  });
  it('says a command is done and keeps the last result', async () => {
    type('CREATE TABLE more AS SELECT 1 AS x');
    await effects.run('run');
    expect(app().status.message).toMatch(/^CREATE done/);
    expect(app().result?.columns).toEqual(['route_id', 'n']);
    await effects.refreshCatalog();
    expect(app().catalog.relations.map((r) => r.name)).toContain('more');
  });
  it('copies the selected row and the whole result as TSV', async () => {
    await effects.run('copyRow');
    expect(copied.at(-1)).toBe('route_id\tn\nRed\t2\n');
    await effects.run('copyResult');
    expect(copied.at(-1)).toBe('route_id\tn\nRed\t2\nOrange\t1\n\t1\n');
  });
  it('charts the selected column over the whole result', async () => {
    type('SELECT * FROM pings');
    await effects.run('run');
    store.dispatch({ type: 'app', action: { type: 'gridMove', toCol: 2 } });
    await effects.run('chart');
    await effects.loadChart();
    const o = app().overlay;
    expect(o?.kind === 'chart' && o.chart).toMatchObject({
      kind: 'top',
      rows: 4,
      values: [
        { value: 'Red', n: 2 },
        { value: 'Orange', n: 1 },
        { value: null, n: 1 },
      ],
    });
  });
  it('maps the points, and a marked box becomes a WHERE … BETWEEN query that is run', async () => {
    store.dispatch({ type: 'app', action: { type: 'overlay' } });
    await effects.run('map');
    let o = app().overlay;
    expect(o?.kind === 'map' && o.extent).toMatchObject({ points: 4, south: 42.3, north: 42.4 });
    await effects.loadMapDots();
    o = app().overlay;
    expect(o?.kind === 'map' && o.dots?.reduce((n, d) => n + d.n, 0)).toBe(4);
    // The map area is 40 x 10 cells with the cursor in the middle (20, 5). A box over all of it
    // keeps every point; moving past an edge would pan instead.
    expect(o?.kind === 'map' && o.cursor).toEqual({ x: 20, y: 5 });
    store.dispatch({ type: 'app', action: { type: 'mapMove', dx: -20, dy: -5 } });
    store.dispatch({ type: 'app', action: { type: 'mapAnchor' } });
    store.dispatch({ type: 'app', action: { type: 'mapMove', dx: 39, dy: 9 } });
    await effects.run('boxQuery');
    const sql = editorText(store.getState().editor);
    expect(sql).toMatch(
      /WHERE "latitude" BETWEEN [\d.]+ AND [\d.]+ AND "longitude" BETWEEN -[\d.]+ AND -[\d.]+/,
    );
    expect(app().overlay).toBeUndefined();
    expect(app().result?.rows).toHaveLength(4);
  });
  it('maps two columns you pick when none is named latitude/longitude', async () => {
    store.dispatch({ type: 'app', action: { type: 'overlay' } });
    type('SELECT latitude AS y, longitude AS x FROM pings');
    await effects.run('run');
    store.dispatch({ type: 'app', action: { type: 'gridMove', toCol: 0 } });
    await effects.run('map');
    const o = app().overlay;
    expect(o?.kind === 'map' && [o.latitude, o.longitude, o.extent?.points]).toEqual(['y', 'x', 4]);
    store.dispatch({ type: 'app', action: { type: 'overlay' } });
    type("SELECT 'a' AS name, 1 AS n");
    await effects.run('run');
    await effects.run('map');
    expect(app().overlay).toBeUndefined();
    expect(app().status.error).toMatch(/^the map needs latitude and longitude/);
  });
  it('reads the text back from the external editor', async () => {
    type('SELECT 1');
    await effects.run('externalEditor');
    expect(editorText(store.getState().editor)).toBe('SELECT 1 LIMIT 1');
  });
  it('puts an error in words and keeps the previous result', async () => {
    type('SELECT nope FROM pings');
    await effects.run('run');
    expect(app().status.error).toMatch(/^unknown name or wrong use: Referenced column "nope" not found/);
    expect(app().result?.rows).toEqual([['a', '1']]);
  });
});

describe('the lasting history file', () => {
  it('is private (folder 0700, file 0600), one entry a line, and passes over a torn line', () => {
    const home = mkdtempSync(join(tmpdir(), 'rtlake-state-'));
    try {
      const file = historyFile(home);
      expect(file).toBe(join(home, 'rtlake', 'history.jsonl'));
      appendHistory(file, { at: 't1', workspace: 'lake ./a', sql: 'SELECT 1' });
      appendHistory(file, { at: 't2', workspace: 'lake ./b', sql: 'SELECT\n2' });
      expect(statSync(join(home, 'rtlake')).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
      // A crash mid-write leaves half a line; the entries around it survive.
      appendFileSync(file, '{"at":"t3","sql":"SEL\n');
      appendHistory(file, { at: 't4', workspace: 'x', sql: 'SELECT 4' });
      expect(readHistory(file)).toEqual([
        { at: 't1', workspace: 'lake ./a', sql: 'SELECT 1' },
        { at: 't2', workspace: 'lake ./b', sql: 'SELECT\n2' },
        { at: 't4', workspace: 'x', sql: 'SELECT 4' },
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
