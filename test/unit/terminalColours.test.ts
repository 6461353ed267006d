import { describe, expect, it } from 'vitest';
import { terminalColourLevel } from '../../src/cli/tuiCommand.js';

describe("the workbench's colour level comes from the terminal's own variables", () => {
  it.each([
    [{ TERM: 'xterm-256color' }, 2],
    [{ TERM: 'tmux-256color', COLORTERM: 'truecolor' }, 3],
    [{ TERM: 'xterm', COLORTERM: '24bit' }, 3],
    [{ TERM: 'screen' }, 1],
    [{ TERM: 'linux' }, 1],
    [{}, 1],
    [{ TERM: 'dumb' }, 0],
    // A CI runner's variable says nothing about the terminal the workbench is drawn in.
    [{ TERM: 'xterm-256color', CI: 'true' }, 2],
    [{ TERM: 'screen', CI: '1', GITHUB_ACTIONS: 'true' }, 1],
    // FORCE_COLOR still decides when given.
    [{ TERM: 'xterm-256color', FORCE_COLOR: '0' }, 0],
    [{ TERM: 'dumb', FORCE_COLOR: '3' }, 3],
    [{ TERM: 'xterm-256color', FORCE_COLOR: 'false' }, 0],
  ] as const)('%o gives %i', (env, level) => {
    expect(terminalColourLevel(env)).toBe(level);
  });
});
