import chalk from 'chalk';
import { render } from 'ink';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DedupeRule } from '../pipeline/dedupeRule.js';
import type { Workspace } from '../pipeline/openWorkspace.js';
import { App } from './App.js';
import { createBackend } from './backend.js';
import { osc52 } from './clipboard.js';
import { appendHistory, historyFile, readHistory } from './historyFile.js';
import { keyLatencyLog } from './keyLatency.js';
import { setTheme, type ThemeName } from './theme.js';

export interface RunTuiOptions {
  workspace: Workspace;
  rule: DedupeRule;
  exportDir: string;
  hint?: string;
  initialText?: string;
  /** Where the lasting history lives ($XDG_STATE_HOME or ~/.local/state). */
  stateHome?: string;
  theme: ThemeName;
  /** The command of $VISUAL or $EDITOR, if set. */
  editor?: string;
  /** Running inside tmux (OSC 52 is also sent for passthrough). */
  inTmux: boolean;
  /** The terminal's colours (0 none, 1 sixteen, 2 256, 3 true colour); Ink draws through chalk. */
  colourLevel: 0 | 1 | 2 | 3;
  /** Append keystroke-to-frame times (ms) to this file. */
  latencyLog?: string;
}

/**
 * While Ink owns the terminal nothing else may write to it: stray stderr writes and console calls
 * (a warning from a library) would land inside the frame. They are held and printed after exit.
 */
function holdTerminalWrites(): () => string {
  const held: string[] = [];
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stderr.write;
  const hold = (...args: unknown[]) => void held.push(`${args.map(String).join(' ')}\n`);
  console.log = console.error = console.warn = console.info = hold;
  return () => {
    process.stderr.write = stderrWrite;
    Object.assign(console, saved);
    return held.join('');
  };
}

/** Opens the text in the user's editor (a shell command, as $EDITOR may carry arguments). */
function editInEditor(editor: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-edit-'));
  const file = join(dir, 'query.sql');
  try {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    const r = spawnSync(`${editor} '${file}'`, { shell: true, stdio: 'inherit' });
    if (r.error) throw new Error(`could not start the editor (${editor}): ${r.error.message}`);
    if (r.status !== 0)
      throw new Error(`the editor (${editor}) exited with ${r.status}; the text is unchanged`);
    return readFileSync(file, 'utf8').replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the full-screen workbench over an open workspace; resolves when the user quits. */
export async function runTui(options: RunTuiOptions): Promise<void> {
  const { workspace } = options;
  setTheme(options.theme);
  const backend = await createBackend({
    db: workspace.db,
    description: workspace.description,
    relations: workspace.relations,
    rule: options.rule,
    exportDir: options.exportDir,
  });
  const file = options.stateHome ? historyFile(options.stateHome) : undefined;
  const history = file ? readHistory(file).map((e) => e.sql) : [];
  const remember = (sql: string) => {
    if (!file) return;
    try {
      appendHistory(file, { at: new Date().toISOString(), workspace: workspace.description, sql });
    } catch {
      // A read-only home must not stop the workbench; this session's history still works.
    }
  };
  const latency = options.latencyLog ? keyLatencyLog(options.latencyLog) : undefined;
  const release = holdTerminalWrites();
  // The alternate screen, cleared, with the cursor at the top left: Ink draws its first frame from
  // the cursor, and loading progress may have left it anywhere (the 80x24 broken top border).
  // xterm's modifyOtherKeys level 1 makes Ctrl+Enter distinguishable where the terminal supports it.
  const interactive = Boolean(process.stdout.isTTY);
  chalk.level = options.colourLevel;
  if (interactive) process.stdout.write('\x1b[?1049h\x1b[H\x1b[2J\x1b[>4;1m');
  const instance = render(
    <App
      backend={backend}
      history={history}
      onHistory={remember}
      onCopy={(text) => process.stdout.write(osc52(text, options.inTmux))}
      {...(options.editor
        ? { editExternally: async (text: string) => editInEditor(options.editor!, text) }
        : {})}
      {...(options.initialText !== undefined ? { initialText: options.initialText } : {})}
      {...(options.hint ? { hint: options.hint } : {})}
      {...(latency ? { onKeyReceived: latency.keyReceived } : {})}
    />,
    {
      alternateScreen: true,
      // A full-screen app on a terminal is interactive even where CI=true is set (Ink would
      // otherwise draw nothing until exit).
      interactive,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      incrementalRendering: true,
      ...(latency ? { onRender: latency.frameRendered } : {}),
    },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    if (interactive) process.stdout.write('\x1b[>4m');
    const held = release();
    if (held) process.stderr.write(held);
    await backend.close();
  }
}
