import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, runCli } from '../helpers/runCli.js';
import { hasTmux, killTmuxServer, tmux, TmuxSession } from './tmux.js';

const node = process.execPath;
const sample = join(repoRoot, 'src/demo/sample');
const sizes = [
  { width: 80, height: 24 },
  { width: 120, height: 40 },
];
const braille = /[\u2801-\u28ff]/g;

/** The issue's walk-through, in the real binary in a real terminal, at 80x24 and at 120x40. */
describe.skipIf(!hasTmux)('the analyst workbench in a real terminal (tmux)', { retry: 2 }, () => {
  let dir: string;
  let lake: string;
  const sessions: TmuxSession[] = [];
  /** stderr goes to the terminal too when `terminalStderr`: loading progress is drawn there, as for a user. */
  const open = (args: string, size: { width: number; height: number }, env = '', terminalStderr = false) => {
    const s = new TmuxSession(
      `cd ${dir} && env ${env} XDG_STATE_HOME=${dir}/state ${node} ${binPath} tui ${args}${terminalStderr ? '' : ` 2>>${dir}/stderr.log`}`,
      size,
    );
    sessions.push(s);
    return s;
  };
  // The catalog is listed once the app has mounted (and put the terminal in raw mode).
  const started = (t: TmuxSession) =>
    t.waitFor((s) => s.includes('○ idle') && s.includes('◇ vehicle_positions'), 30_000, 'the app to start');
  const typeQuery = async (t: TmuxSession, sql: string) => {
    t.send(['C-a']);
    t.send([sql], true);
    await t.waitFor((s) => s.includes(sql.slice(-20)), 5_000, 'the query typed');
  };
  /** Runs a query over the whole demo lake and focuses its first page of results. */
  const resultsOf = async (t: TmuxSession, sql: string) => {
    await typeQuery(t, sql);
    t.send(['F5']);
    await t.waitFor((s) => s.includes('500 of >500 rows'), 10_000, 'the result');
    t.send(['Tab']);
    await t.waitFor((s) => s.includes('Enter detail'), 5_000, 'the results focused');
  };
  const quit = async (t: TmuxSession) => {
    t.send(['C-q']);
    await t.waitFor((s) => s.includes('[exited 0]'), 30_000, 'the app to quit');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtlake-analyst-'));
    lake = join(dir, 'lake');
    const r = await runCli(['demo', '--out', lake, '--quiet']);
    expect(r.code).toBe(0);
  });
  afterAll(() => {
    for (const s of sessions) s.kill();
    killTmuxServer();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const size of sizes) {
    const at = `${size.width}x${size.height}`;

    it(`${at}: the first frame is whole after loading raw sources, and redraws whole on resize`, async () => {
      const t = open(`--lake ${lake} --source ${sample}`, size, '', true);
      const { screen } = await started(t);
      const frame = (s: string, w: number) => {
        const lines = s.replace(/\n$/, '').split('\n');
        expect(lines[0]).toMatch(new RegExp(`^╭─+╮╭─+╮$`));
        expect([...lines[0]!].length).toBe(w);
        expect(lines.find((l) => l.includes('○ idle'))).toMatch(/^○ idle/);
        expect(lines.at(-1)).toMatch(/^F5\/Ctrl\+J run/);
      };
      frame(screen, size.width);
      tmux(['resize-window', '-t', t.name, '-x', String(size.width + 20), '-y', String(size.height + 6)]);
      const resized = await t.waitFor(
        (s) => [...(s.split('\n')[0] ?? '')].length === size.width + 20,
        5_000,
        'the redraw at the new size',
      );
      frame(resized.screen, size.width + 20);
      await quit(t);
    });

    it(`${at}: completes select vehicle_i to vehicle_id from the list`, async () => {
      const t = open(`--lake ${lake}`, size);
      await started(t);
      t.send(['C-a']);
      t.send(['select vehicle_i'], true);
      const list = await t.waitFor((s) => s.includes('›vehicle_id'), 5_000, 'the completion list');
      expect(list.screen).toMatch(/select vehicle_i\s/);
      t.send(['Tab']);
      const accepted = await t.waitFor(
        (s) => s.includes('select vehicle_id') && !s.includes('›'),
        5_000,
        'the accepted entry',
      );
      expect(accepted.screen).not.toContain('vehicle_idd');
      t.send([' from vehicle_positions limit 2'], true);
      t.send(['F5']);
      await t.waitFor((s) => s.includes('2 rows'), 10_000, 'the result');
      await quit(t);
    });

    it(`${at}: recalls a query run before a restart with Ctrl+P, and finds it with Ctrl+R`, async () => {
      const marker = `SELECT ${size.width} AS width_${size.height}`;
      let t = open(`--lake ${lake}`, size);
      await started(t);
      await typeQuery(t, marker);
      t.send(['F5']);
      await t.waitFor((s) => s.includes('1 row'), 10_000, 'the query to run');
      await quit(t);
      const file = join(dir, 'state', 'rtlake', 'history.jsonl');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'state', 'rtlake')).mode & 0o777).toBe(0o700);
      const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!);
      expect(last).toMatchObject({ sql: marker, workspace: `lake ${lake}` });

      t = open(`--lake ${lake}`, size);
      await started(t);
      t.send(['C-a', 'Delete']);
      t.send(['C-p']);
      await t.waitFor((s) => s.includes(marker), 5_000, 'the recalled query');
      t.send(['C-a', 'Delete']);
      t.send(['C-r']);
      t.send([`width_${size.height}`], true);
      await t.waitFor((s) => s.includes('history search: width_'), 5_000, 'the search');
      t.send(['Enter']);
      await t.waitFor((s) => s.includes(marker) && !s.includes('history search'), 5_000, 'the found query');
      await quit(t);
    });

    it(`${at}: charts pings per time bucket of timestamp over the whole result`, async () => {
      const t = open(`--lake ${lake}`, size);
      await started(t);
      await resultsOf(t, 'SELECT "timestamp" FROM vehicle_positions');
      t.send(['c']);
      const { screen } = await t.waitFor(
        (s) => /rows per [^(]+\(UTC\)/.test(s) && s.includes('┤'),
        10_000,
        'the chart',
      );
      // Counted over all 3,138 pings of the lake, not the 500 rows on screen.
      expect(screen).toContain('3,138 rows');
      expect(screen).toMatch(/█/);
      t.send(['Escape']);
      await t.waitFor((s) => s.includes('Enter detail'), 5_000, 'the chart closed');
      await quit(t);
    });

    it(`${at}: maps latitude/longitude, zooms in, and turns a selected box into a query`, async () => {
      const t = open(`--lake ${lake}`, size);
      await started(t);
      await resultsOf(t, 'select latitude, longitude, route_id from vehicle_positions');
      t.send(['M']);
      const map = await t.waitFor(
        (s) => s.includes('of 3,138 points') && (s.match(braille)?.length ?? 0) > 50,
        10_000,
        'the map',
      );
      expect(map.screen).toMatch(/view 4\d\.\d{4}N–4\d\.\d{4}N, 7\d\.\d{4}W–\d\d\.\d{4}W/);
      expect(map.screen).toMatch(/├─*┤ \d+ k?m/);
      t.send(['+']);
      await t.waitFor((s) => s.includes('zoom ×2'), 10_000, 'the zoom');
      t.send(['Space']);
      for (let i = 0; i < 3; i++) t.send(['Right', 'Down']);
      await t.waitFor((s) => / box 4\d\.\d+N/.test(s), 5_000, 'the box');
      t.send(['Enter']);
      const q = await t.waitFor(
        (s) => s.includes('"latitude" BETWEEN') && /\d+ rows? ·/.test(s),
        10_000,
        'the filtered query and its result',
      );
      expect(q.screen).toContain('SELECT * FROM (');
      await quit(t);
    });
  }

  it('hands the text to $EDITOR with the terminal released, and copies a cell and a row with OSC 52', async () => {
    // An "editor" that needs the terminal: it shows the text, prompts and reads a line from the tty.
    const editor = join(dir, 'fake-editor.sh');
    writeFileSync(
      editor,
      '#!/bin/sh\ncat "$1"\nprintf "new text: "\nread line\nprintf "%s\\n" "$line" > "$1"\n',
      {
        mode: 0o755,
      },
    );
    const t = open(`--lake ${lake}`, { width: 100, height: 30 }, `EDITOR=${editor}`);
    tmux(['set-option', '-t', t.name, 'set-clipboard', 'on']);
    await started(t);
    await typeQuery(t, 'SELECT 41 AS answer');
    t.send(['C-o']);
    // The workbench is gone from the screen while the editor has the terminal.
    const handed = await t.waitFor((s) => s.includes('new text:'), 10_000, 'the editor');
    expect(handed.screen).toContain('SELECT 41 AS answer');
    expect(handed.screen).not.toContain('○ idle');
    t.send(["SELECT 42 AS answer, 'a b' AS words"], true);
    t.send(['Enter']);
    await t.waitFor(
      (s) => s.includes("SELECT 42 AS answer, 'a b' AS words") && s.includes('read the text back'),
      10_000,
      'the edited text back in the workbench',
    );
    t.send(['F5']);
    await t.waitFor((s) => s.includes('1 row'), 10_000, 'the result');
    t.send(['Tab']);
    await t.waitFor((s) => s.includes('Enter detail'), 5_000, 'the results focused');
    t.send(['y']);
    await t.waitFor((s) => s.includes('copied the cell'), 5_000, 'the copy');
    expect(tmux(['show-buffer'])).toBe('42');
    t.send(['Y']);
    await t.waitFor((s) => s.includes('copied row 1'), 5_000, 'the row copy');
    expect(tmux(['show-buffer'])).toBe('answer\twords\n42\ta b\n');
    await quit(t);
  });

  // CI=true as on a CI runner: chalk's own guess would then draw no escape at all, not even the
  // inverse cursor.
  it('with NO_COLOR=1 writes no colour escape at all, but still marks the cursor', async () => {
    const t = open(`--lake ${lake}`, { width: 100, height: 30 }, 'NO_COLOR=1 CI=true');
    const raw = join(dir, 'raw.log');
    tmux(['pipe-pane', '-o', '-t', t.name, `cat >> ${raw}`]);
    await started(t);
    await resultsOf(t, 'select latitude, longitude, route_id from vehicle_positions');
    t.send(['M']);
    await t.waitFor((s) => s.includes('points'), 10_000, 'the map');
    // Esc and a key in one read would be Alt+key: wait for the map to close first.
    t.send(['Escape']);
    await t.waitFor((s) => s.includes('Enter detail'), 5_000, 'the map closed');
    t.send(['c']);
    await t.waitFor((s) => s.includes('rows per bin'), 10_000, 'the chart');
    await quit(t);
    const out = readFileSync(raw, 'latin1');
    const sgr = [...out.matchAll(/\x1b\[([\d;]*)m/g)].map((m) => m[1]!);
    expect(sgr.length).toBeGreaterThan(0); // bold and inverse still mark things
    // 30-39/40-49 (and 38/48 extended), 90-97/100-107: colours. None may appear.
    const colours = sgr.filter((p) => p.split(';').some((n) => /^(3\d|4\d|9[0-7]|10[0-7])$/.test(n)));
    expect(colours).toEqual([]);
  });
});
