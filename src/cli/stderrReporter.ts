import type { Reporter } from '../pipeline/reporter.js';

/**
 * Progress on stderr: a self-rewriting line when stderr is a terminal, otherwise one line per
 * stage (so logs stay readable). --quiet gives the silent reporter instead.
 */
export function stderrReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  const tty = Boolean(stream.isTTY);
  let stage = '';
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    stage(name, total) {
      clear();
      stage = name;
      if (!tty) stream.write(`rtlake: ${name}${total !== undefined ? ` (${total})` : ''}\n`);
    },
    progress(done, total) {
      if (!tty) return;
      const t = Date.now();
      if (t - lastDraw < 100 && done !== total) return;
      lastDraw = t;
      const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
      stream.write(`\r\x1b[2Krtlake: ${stage} ${done}${total !== undefined ? `/${total}` : ''}${pct}`);
      drawn = true;
    },
    info(message) {
      clear();
      stream.write(`rtlake: ${message}\n`);
    },
    warn(message) {
      clear();
      stream.write(`rtlake: warning: ${message}\n`);
    },
  };
}
