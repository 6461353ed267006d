import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';
import { binPath, repoRoot, runCli } from '../helpers/runCli.js';
import { hasTmux, killTmuxServer, TmuxSession } from '../tui/tmux.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-progress-${name}-`));
const sample = join(repoRoot, 'src/demo/sample');

/** A stream that records what is written, posing as a terminal or not. */
function recorder(isTTY: boolean, columns = 100) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns });
  return { stream, text: () => chunks.join('') };
}

describe('progress off a terminal', () => {
  it('plain "progress:" lines, none in a phase\'s first seconds, then at most one every few seconds', () => {
    let t = 0;
    const { stream, text } = recorder(false);
    const p = progressReporter({ stream, now: () => t, plainEveryMs: 5000 });
    p.stage('fetching', 1000);
    for (let i = 1; i <= 1000; i++) {
      t += 20; // 20 s in all
      p.progress(i, 1000);
    }
    p.info('a fact');
    p.stage('merging', 3);
    t += 1000; // a short phase says nothing
    p.end();
    const lines = text().split('\n').filter(Boolean);
    expect(text()).not.toMatch(/\r|\x1b/);
    // 20 s of progress at one line per 5 s, the first after 5 s: four lines with done/total.
    expect(lines).toEqual([
      'progress: fetching 250/1,000 (25%), 5s',
      'progress: fetching 500/1,000 (50%), 10s',
      'progress: fetching 750/1,000 (75%), 15s',
      'progress: fetching 1,000/1,000 (100%), 20s',
      'rtlake: a fact',
    ]);
  });

  it("--verbose adds each phase's start and its time", () => {
    let t = 0;
    const { stream, text } = recorder(false);
    const p = progressReporter({ stream, now: () => t, verbose: true });
    p.stage('merging partitions', 3);
    t += 2000;
    p.progress(3, 3);
    p.end();
    expect(text()).toBe('progress: merging partitions (3)\nprogress: merging partitions: 3/3 in 2s\n');
  });

  it('rtlake ingest with stderr to a file: a short run prints no progress; --verbose phases and times', async () => {
    const r = await runCli(['ingest', '--source', sample, '--out', tmp('out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^keys: 12 listed/);
    const verbose = await runCli(['ingest', '--source', sample, '--out', tmp('out'), '--verbose']);
    expect(verbose.stderr).not.toMatch(/\r|\x1b/);
    expect(verbose.stderr.split('\n')).toContain('progress: loading (12)');
    expect(verbose.stderr).toMatch(/^progress: loading: \d+\/12 in \d+s$/m);
  });
});

describe('progress on a terminal', () => {
  it('bars with done/total, rate and ETA; a spinner with elapsed time without a total; lines ended', () => {
    let t = 0;
    const { stream, text } = recorder(true, 100);
    const p = progressReporter({ stream, now: () => t });
    p.stage('listing s3://b/p');
    t += 1000;
    p.progress(1500);
    p.stage('fetching', 400);
    t += 2000;
    p.progress(100, 400);
    const drawn = text()
      .split(/\r(?:\x1b\[\d+A)?\x1b\[0J/)
      .at(-1)!;
    // 100 files in 2 s: 50/s, 300 to go: 6 s.
    expect(drawn).toMatch(/^rtlake: fetching \[█{8}░{22}\] 100\/400 +25% 50\/s ETA 6s$/);
    expect(text()).toMatch(/rtlake: listing s3:\/\/b\/p 1,500 +✓ 1s\n/);
    p.end();
    expect(text().endsWith('\n')).toBe(true);
  });

  it('keys found while listing; with per-file fetch events a fetching bar above the loading one', () => {
    let t = 0;
    const { stream, text } = recorder(true, 120);
    const p = progressReporter({ stream, now: () => t });
    const last = () =>
      text()
        .split(/\r(?:\x1b\[\d+A)?\x1b\[0J/)
        .at(-1)!;
    p.keysListed(1000);
    t += 500;
    p.keysListed(2000);
    expect(last()).toMatch(/^rtlake: listing 2,000 keys found +⠋ 1s$/);
    p.stage('fetching and loading', 2000);
    t += 3900;
    for (let i = 0; i < 800; i++) p.fileFetched(`k${i}`, 10_000);
    t += 100; // past the redraw throttle: this draw is the one read below
    p.progress(200, 2000);
    const [fetching, loading] = last().split('\n');
    // 800 files in 4 s: 200/s, 1,200 to go: 6 s; 200 loaded: 50/s, 1,800 to go: 36 s.
    expect(fetching).toMatch(/^rtlake: fetching \[█{12}░{18}\] 800\/2,000 +40% 200\/s ETA 6s 8\.0 MB$/);
    expect(loading).toMatch(/^rtlake: loading \[█{3}░{27}\] 200\/2,000 +10% 50\/s ETA 36s$/);
    // Redrawing goes back up over both lines.
    t += 100;
    p.progress(300, 2000);
    expect(text()).toMatch(/\r\x1b\[1A\x1b\[0J[^\r]*300\/2,000/);
    p.end();
  });

  it.skipIf(!hasTmux)(
    'rtlake ingest in a pseudo-terminal: a finished bar per phase, the summary on its own line',
    async () => {
      const out = tmp('out');
      const session = new TmuxSession(
        `${process.execPath} ${binPath} ingest --source ${sample} --out ${out}`,
        {
          width: 110,
          height: 40,
        },
      );
      try {
        const { screen } = await session.waitFor((s) => s.includes('[exited'), 30_000, 'the run to end');
        const lines = screen.split('\n');
        expect(lines.find((l) => l.startsWith('rtlake: loading ['))).toMatch(/\] 12\/12 100% /);
        expect(lines.find((l) => l.startsWith('rtlake: publishing partitions ['))).toMatch(/\] 5\/5 100% /);
        expect(lines.some((l) => l.startsWith('keys: 12 listed, 12 loaded'))).toBe(true);
        expect(lines.some((l) => /rtlake:.*keys:/.test(l))).toBe(false);
        expect(screen).toContain('[exited 0]');
      } finally {
        session.kill();
        killTmuxServer();
      }
    },
  );
});
