#!/usr/bin/env node
// The workbench's speed on a 10-million-row result (issue 12): how long a chart and the map take to
// appear, and how long a keystroke takes to reach the screen.
//
// 1. Writes a one-day lake of 10,000,000 MBTA-shaped pings (Boston positions, 150 routes, timestamps
//    over the day) as lake/vehicle_positions/year=2021/month=9/day=6/data.parquet, with DuckDB.
// 2. In-process: the workbench's own chart and map reads (dist/db/workbenchQueries.js) over
//    `SELECT … FROM vehicle_positions` (the lake view), at the bin counts of a 120x40 terminal; each
//    five times, median and worst.
// 3. The real binary in tmux at 120x40 (`--latency-log`): the same query run, then the time from
//    sending `c` / `M` to the finished chart / map on the screen (tmux capture-pane polling, so it
//    includes the polling and the terminal), and the in-app keystroke-to-frame time (key event to
//    Ink's frame commit) of editor typing with completion, grid moves and map keys.
//
// Usage: npm run build && node test/bench/tui-views.mjs [--rows N] [--keep DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '10000000' }, keep: { type: 'string' } },
});
const rows = Number(args.rows);
const dir = args.keep ?? mkdtempSync(join(tmpdir(), 'rtlake-tui-bench-'));
const { openDatabase } = await import(join(root, 'dist/db/openDatabase.js'));
const wq = await import(join(root, 'dist/db/workbenchQueries.js'));
const { chartBins } = await import(join(root, 'dist/tui/chartModel.js'));
const { fitView, viewGrid } = await import(join(root, 'dist/tui/mapModel.js'));
const { computeLayout } = await import(join(root, 'dist/tui/layout.js'));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], worst: s[s.length - 1], n: s.length };
};
const ms = (x) => `${x.toFixed(0)} ms`;

// 1. The lake.
const partition = join(dir, 'lake/vehicle_positions/year=2021/month=9/day=6');
mkdirSync(partition, { recursive: true });
const file = join(partition, 'data.parquet');
let t0 = performance.now();
{
  const db = await openDatabase();
  await db.connection.run(`COPY (
    SELECT CAST(TIMESTAMPTZ '2021-09-06 00:00:00+00' + to_microseconds(CAST(i * 86400000000 // ${rows} AS BIGINT)) AS TIMESTAMPTZ) AS "timestamp",
           'y' || (i % 900) AS vehicle_id,
           'route_' || (hash(i // 50) % 150) AS route_id,
           42.20 + (hash(i * 3) % 200000) / 1000000.0 + 0.02 * sin(i / 1000.0) AS latitude,
           -71.20 + (hash(i * 7) % 300000) / 1000000.0 AS longitude
    FROM range(${rows}) AS t(i)
  ) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  db.close();
}
console.log(`lake: ${rows.toLocaleString('en-US')} rows in ${file} (${ms(performance.now() - t0)} to write)`);

// 2. In-process reads, at a 120x40 terminal's sizes.
const layout = computeLayout(120, 40);
const paneW = layout.gridWidth;
const paneH = layout.overlayHeight;
const cells = { w: paneW, h: paneH - 3 };
const db = await openDatabase();
await db.connection
  .run(`CREATE VIEW vehicle_positions AS SELECT * EXCLUDE (year, month, day), year, month, day
  FROM read_parquet('${join(dir, 'lake/vehicle_positions/**/*.parquet')}', hive_partitioning = true)`);
const sql = 'SELECT "timestamp", latitude, longitude, route_id FROM vehicle_positions';
const inProcess = {};
const time = async (name, f) => {
  const xs = [];
  let out;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    out = await f();
    xs.push(performance.now() - t);
  }
  inProcess[name] = stats(xs);
  return out;
};
const c1 = await time('chart timestamp (time buckets)', () =>
  wq.readChart(db.connection, sql, 'timestamp', 'TIMESTAMP WITH TIME ZONE', chartBins('time', paneW, paneH)),
);
await time('chart latitude (histogram)', () =>
  wq.readChart(db.connection, sql, 'latitude', 'DOUBLE', chartBins('histogram', paneW, paneH)),
);
await time('chart route_id (top values)', () =>
  wq.readChart(db.connection, sql, 'route_id', 'VARCHAR', chartBins('top', paneW, paneH)),
);
const map = async (colour) => {
  const extent = await wq.readMapExtent(db.connection, sql, 'latitude', 'longitude');
  const grid = viewGrid(fitView(extent, cells.w, cells.h), cells.w, cells.h);
  return wq.readMapDots(db.connection, sql, 'latitude', 'longitude', grid, colour);
};
const dots = await time('map (extent + dots)', () => map(undefined));
await time('map coloured by route_id', () => map('route_id'));
db.close();
console.log(
  `check: ${c1.counts.reduce((a, b) => a + b, 0).toLocaleString('en-US')} rows charted per ${c1.unit}, ${dots.reduce((a, d) => a + d.n, 0).toLocaleString('en-US')} points in ${dots.length} dots`,
);
for (const [k, v] of Object.entries(inProcess))
  console.log(`in-process  ${k.padEnd(32)} median ${ms(v.median)}, worst ${ms(v.worst)} (${v.n} runs)`);

// 3. The real binary in tmux.
const has = spawnSync('tmux', ['-V']).status === 0;
if (!has) {
  console.log('tmux missing: the in-app part is skipped');
  process.exit(0);
}
const env = {
  ...process.env,
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TERM: process.env.TERM || 'xterm-256color',
};
const name = `rtlake-bench-${process.pid}`;
const log = join(dir, 'latency.log');
const bin = join(root, 'bin/rtlake.js');
execFileSync(
  'tmux',
  [
    '-u',
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '120',
    '-y',
    '40',
    `cd ${dir} && XDG_STATE_HOME=${dir}/state ${process.execPath} ${bin} tui --lake ${join(dir, 'lake')} --latency-log ${log} 2>${dir}/stderr.log; sleep 5`,
  ],
  { env },
);
const tmux = (...a) => execFileSync('tmux', a, { env, encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', name);
const send = (keys, literal = false) => tmux('send-keys', '-t', name, ...(literal ? ['-l'] : []), ...keys);
const waitFor = async (test, what, timeout = 30_000) => {
  const t = performance.now();
  for (;;) {
    const s = screen();
    if (test(s)) return performance.now() - t;
    if (performance.now() - t > timeout) throw new Error(`timed out waiting for ${what}:\n${s}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const frames = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(Number);
try {
  await waitFor((s) => s.includes('○ idle') && s.includes('◇ vehicle_positions'), 'the app');
  send(['C-a']);
  send([sql], true);
  send(['F5']);
  await waitFor((s) => s.includes('500 of >500 rows'), 'the result');
  // Typing in the editor, with the completion list following each letter.
  writeFileSync(log, '');
  send(['C-e']);
  const typed = [];
  for (const ch of ' where route_i') {
    const before = frames().length;
    send([ch], true);
    await waitFor(() => frames().length > before, 'a frame');
    typed.push(frames().at(-1));
  }
  send(['Escape']);
  await new Promise((r) => setTimeout(r, 200));
  send(['Tab']);
  await waitFor((s) => s.includes('Enter detail'), 'the grid');
  writeFileSync(log, '');
  const grid = [];
  for (let i = 0; i < 20; i++) {
    const before = frames().length;
    send([i % 4 === 3 ? 'Right' : 'Down']);
    await waitFor(() => frames().length > before, 'a frame');
    grid.push(frames().at(-1));
  }
  send(['Home']);
  // The chart of timestamp (column 1) and the map, from the key to the finished picture.
  const chartMs = await (async () => {
    send(['c']);
    return waitFor(
      (s) => s.includes(`rows per hour (UTC) · ${rows.toLocaleString('en-US')} rows`),
      'the chart',
    );
  })();
  send(['Escape']);
  await waitFor((s) => s.includes('Enter detail'), 'the chart closed');
  const mapMs = await (async () => {
    send(['M']);
    return waitFor(
      (s) =>
        s.includes(`of ${rows.toLocaleString('en-US')} points`) &&
        /[\u2801-\u28ff]/.test(s) &&
        !s.includes('● '),
      'the map',
    );
  })();
  writeFileSync(log, '');
  const mapKeys = [];
  for (const k of ['Right', 'Right', 'Down', '+', 'Space', 'Right', 'Down', '-', 'Left', 'Up']) {
    const before = frames().length;
    send([k]);
    await waitFor(() => frames().length > before, 'a frame');
    mapKeys.push(frames().at(-1));
  }
  const zoomMs = await (async () => {
    send(['+']);
    const t = performance.now();
    // The old dots stay until the new ones arrive: wait for the re-binning to start, then to end.
    await waitFor((s) => s.includes('● drawing'), 'the re-binning', 2_000).catch(() => undefined);
    await waitFor((s) => s.includes('zoom ×2') && !s.includes('● '), 'the zoomed map');
    return performance.now() - t;
  })();
  send(['C-q']);
  const c = stats(typed);
  const g = stats(grid);
  const m = stats(mapKeys);
  console.log(
    `in the app (120x40, ${cpus().length} cores): chart of timestamp on screen ${ms(chartMs)} after 'c'; map on screen ${ms(mapMs)} after 'M'; re-binned after a zoom ${ms(zoomMs)}`,
  );
  console.log(
    `key -> frame: typing with completion median ${c.median.toFixed(1)} ms, worst ${c.worst.toFixed(1)} ms (${c.n} keys); grid median ${g.median.toFixed(1)}, worst ${g.worst.toFixed(1)} (${g.n}); map keys median ${m.median.toFixed(1)}, worst ${m.worst.toFixed(1)} (${m.n})`,
  );
} finally {
  spawnSync('tmux', ['kill-session', '-t', name], { env });
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
