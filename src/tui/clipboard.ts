import type { Cell } from '../db/queryPage.js';

/**
 * Copy to the system clipboard with OSC 52, which terminals (and tmux with set-clipboard on) take
 * from the program's output, over SSH too. Inside tmux the sequence is also sent wrapped for
 * passthrough, for a tmux that forwards it to the outer terminal.
 */
export function osc52(text: string, inTmux: boolean): string {
  const seq = `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
  return inTmux ? `${seq}\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\` : seq;
}

/** A cell in TSV: tabs and line breaks become spaces, NULL is empty. */
export function tsvCell(c: Cell): string {
  return c === null ? '' : c.replace(/[\t\r\n]+/g, ' ');
}

/** Rows as TSV with a header line. */
export function toTsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return (
    [columns.map(tsvCell), ...rows.map((r) => r.map(tsvCell))].map((r) => r.join('\t')).join('\n') + '\n'
  );
}

/** OSC 52 payloads are limited by terminals (tmux and xterm take about 100 kB); larger is refused. */
export const clipboardLimit = 100_000;
