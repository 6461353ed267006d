import { spawn, type ChildProcess } from 'node:child_process';
import { binPath, repoRoot, type CliResult } from '../helpers/runCli.js';

/**
 * The real binary with what runCli does not give: text on standard input, and a hook on the child
 * (to close its stdout early, or to send it a signal mid-run).
 */
export function runWith(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    input?: string;
    /** Replaces the environment instead of adding to it. */
    bareEnv?: boolean;
    onStdout?: (text: string, child: ChildProcess) => void;
    onStderr?: (text: string, child: ChildProcess) => void;
    onSpawn?: (child: ChildProcess) => void;
    timeoutMs?: number;
  } = {},
): Promise<CliResult & { bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: options.bareEnv ? options.env : { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const parts: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => {
      parts.push(d);
      stdout += d.toString();
      options.onStdout?.(stdout, child);
    });
    child.stdout!.on('error', () => {});
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    options.onSpawn?.(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, bytes: Buffer.concat(parts) });
    });
  });
}
