import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tmux drives the real binary in a real pseudo-terminal (node-pty cannot be built here). */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

let counter = 0;

/**
 * Each test file has its own tmux server: the default one is shared by every process of the
 * user, so sessions would inherit another run's environment, and show-buffer would read another
 * run's copy.
 */
const socket = join(tmpdir(), `rtlake-tmux-${process.pid}-${randomBytes(4).toString('hex')}`);

/**
 * tmux decides from the locale whether the terminal speaks UTF-8; CI may run with no LANG at all,
 * and then every box-drawing character and '○' would come back from capture-pane as '_'.
 */
const env = {
  ...process.env,
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TERM: process.env.TERM || 'xterm-256color',
};

/** Runs tmux on this file's own server. */
export function tmux(args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', env });
}

/** Runs tmux on this file's own server, ignoring a failure (what it ends may be gone already). */
function tmuxQuietly(args: string[]): void {
  spawnSync('tmux', ['-S', socket, ...args], { stdio: 'ignore', env });
}

/** Ends this file's tmux server and every session left on it. */
export function killTmuxServer(): void {
  tmuxQuietly(['kill-server']);
  // tmux leaves its socket file behind when killed.
  rmSync(socket, { force: true });
}

export class TmuxSession {
  readonly name = `rtlake-test-${process.pid}-${++counter}`;

  constructor(command: string, options: { width?: number; height?: number; cwd?: string } = {}) {
    tmux([
      '-u',
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(options.width ?? 120),
      '-y',
      String(options.height ?? 40),
      ...(options.cwd ? ['-c', options.cwd] : []),
      // Keep the pane after the app exits so the test can read what it left.
      `${command}; echo "[exited $?]"; sleep 30`,
    ]);
  }

  /** Keys in tmux send-keys notation ('F5', 'C-c', 'Tab') or literal text with literal=true. */
  send(keys: string[], literal = false): void {
    tmux(['send-keys', '-t', this.name, ...(literal ? ['-l'] : []), ...keys]);
  }

  screen(): string {
    return tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** Polls the screen until `test` holds; returns the screen and how long it took. */
  async waitFor(
    test: (screen: string) => boolean,
    timeoutMs = 15_000,
    what = 'the screen',
  ): Promise<{ screen: string; ms: number }> {
    const start = performance.now();
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return { screen, ms: performance.now() - start };
      if (performance.now() - start > timeoutMs)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  kill(): void {
    tmuxQuietly(['kill-session', '-t', this.name]);
  }
}
