import { render } from 'ink';
import type { Workspace } from '../pipeline/openWorkspace.js';
import { App } from './App.js';
import { createBackend } from './backend.js';
import { keyLatencyLog } from './keyLatency.js';

export interface RunTuiOptions {
  workspace: Workspace;
  ruleText: string;
  exportDir: string;
  hint?: string;
  initialText?: string;
  /** Append keystroke-to-frame times (ms) to this file. */
  latencyLog?: string;
}

/** Opens the full-screen workbench over an open workspace; resolves when the user quits. */
export async function runTui(options: RunTuiOptions): Promise<void> {
  const { workspace } = options;
  const side = await workspace.db.instance.connect();
  const backend = createBackend({
    connection: workspace.db.connection,
    side,
    description: workspace.description,
    relations: workspace.relations,
    ruleText: options.ruleText,
    exportDir: options.exportDir,
  });
  // xterm's modifyOtherKeys level 1 makes Ctrl+Enter distinguishable where the terminal supports it.
  process.stdout.write('\x1b[>4;1m');
  const latency = options.latencyLog ? keyLatencyLog(options.latencyLog) : undefined;
  const instance = render(
    <App
      backend={backend}
      {...(options.initialText !== undefined ? { initialText: options.initialText } : {})}
      {...(options.hint ? { hint: options.hint } : {})}
      {...(latency ? { onKeyReceived: latency.keyReceived } : {})}
    />,
    {
      alternateScreen: true,
      // A full-screen app on a terminal is interactive even where CI=true is set (Ink would
      // otherwise draw nothing until exit).
      interactive: Boolean(process.stdout.isTTY),
      exitOnCtrlC: false,
      patchConsole: true,
      maxFps: 60,
      incrementalRendering: true,
      ...(latency ? { onRender: latency.frameRendered } : {}),
    },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    process.stdout.write('\x1b[>4m');
    side.closeSync();
  }
}
