import { appendFileSync } from 'node:fs';

/**
 * Measures keystroke-to-frame time inside the app: from a key event reaching the handler to Ink
 * committing the next frame. Written one number (ms) per line to a file, for the latency test.
 */
export interface KeyLatency {
  keyReceived(): void;
  frameRendered(): void;
}

export function keyLatencyLog(file: string): KeyLatency {
  let pending: number | undefined;
  return {
    keyReceived() {
      pending ??= performance.now();
    },
    frameRendered() {
      if (pending === undefined) return;
      appendFileSync(file, `${(performance.now() - pending).toFixed(2)}\n`);
      pending = undefined;
    },
  };
}
