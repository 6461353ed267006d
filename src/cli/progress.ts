import type { Reporter } from '../pipeline/reporter.js';
import { setProgressEnd } from './runtime.js';

/**
 * Progress on stderr. On a terminal: one line per phase, redrawn in place, with a bar, done/total,
 * rate and ETA when the phase has a total, a spinner and elapsed time when it has not; each phase's
 * line is finished (newline) when the next starts and before results are printed. Off a terminal
 * (CI logs, `2> file`): plain "progress:" lines (not "rtlake:", which starts messages and errors),
 * only once a phase has run `plainEveryMs` and then at most one per `plainEveryMs`, so a short run
 * prints none and an error stays one line; no carriage returns. --quiet gives the silent reporter;
 * --verbose adds each phase's start and its time at the end.
 */

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  verbose?: boolean;
  /** Off a terminal, the least time between two progress lines of a phase. */
  plainEveryMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface ProgressReporter extends Reporter {
  /** Objects listed so far (the stages call it per page). */
  keysListed(listed: number): void;
  /** One archive object is ready to load. */
  fileFetched(key: string, bytes: number): void;
  filesLoaded(keys: readonly string[]): void;
  /** Finishes the current line; the next output starts on a fresh one. */
  end(): void;
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const n = (x: number) => x.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '';
  return perSecond >= 10 ? `${n(Math.round(perSecond))}/s` : `${perSecond.toFixed(1)}/s`;
}

interface Phase {
  name: string;
  total?: number;
  done: number;
  started: number;
  /** What a count without a total is of ("keys found"). */
  unit?: string;
  /** Files fetched so far, when the stages report each one (fetching runs ahead of loading). */
  fetched?: { count: number; bytes: number };
}

/** The text of a phase's line (without the bar when the width does not allow it). */
export function phaseLine(phase: Phase, now: number, width: number, frame: number, final = false): string {
  const elapsed = (now - phase.started) / 1000;
  const label = `rtlake: ${phase.name}`;
  // A phase that ends without counting up (merging, say) ends as a tick, not as "0/5 0%".
  if (phase.total === undefined || phase.total === 0 || (final && phase.done < phase.total)) {
    const of = phase.total !== undefined && phase.done < phase.total ? ` (${n(phase.total)})` : '';
    const count = phase.done > 0 ? ` ${n(phase.done)}${phase.unit ? ` ${phase.unit}` : ''}` : '';
    const head = final ? '✓' : spinner[frame % spinner.length]!;
    return fit(`${label}${of || count}  ${head} ${formatDuration(elapsed)}`, width);
  }
  const ratio = Math.min(1, phase.done / phase.total);
  const rate = elapsed > 0.2 ? phase.done / elapsed : 0;
  const eta = rate > 0 && !final ? ` ETA ${formatDuration((phase.total - phase.done) / rate)}` : '';
  const tail = ` ${n(phase.done)}/${n(phase.total)} ${String(Math.floor(ratio * 100)).padStart(3)}%${
    formatRate(rate) ? ` ${formatRate(rate)}` : ''
  }${final ? ` ${formatDuration(elapsed)}` : eta}${phase.unit ? ` ${phase.unit}` : ''}`;
  const room = width - label.length - tail.length - 4;
  if (room < 8) return fit(`${label}${tail}`, width);
  const barWidth = Math.min(30, room);
  const filled = Math.round(ratio * barWidth);
  return `${label} [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]${tail}`;
}

/** A phase's lines: with per-file fetch events, a fetching bar above the loading one. */
function phaseLines(phase: Phase, now: number, width: number, frame: number, final: boolean): string[] {
  if (!phase.fetched || phase.total === undefined) return [phaseLine(phase, now, width, frame, final)];
  const mb = `${(phase.fetched.bytes / 1e6).toFixed(1)} MB`;
  return [
    phaseLine({ ...phase, name: 'fetching', done: phase.fetched.count, unit: mb }, now, width, frame, final),
    phaseLine({ ...phase, name: 'loading' }, now, width, frame, final),
  ];
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function progressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = Boolean(stream.isTTY);
  const plainEvery = options.plainEveryMs ?? 5000;
  let phase: Phase | undefined;
  let drawnLines = 0;
  let lastDraw = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  const width = () => Math.max(20, (stream.columns || 80) - 1);
  /** Back to the start of the block drawn last, clearing it. */
  const erase = () => {
    if (drawnLines === 0) return;
    stream.write(`\r${drawnLines > 1 ? `\x1b[${drawnLines - 1}A` : ''}\x1b[0J`);
    drawnLines = 0;
  };
  const draw = (final = false) => {
    if (!phase) return;
    const lines = phaseLines(phase, now(), width(), frame, final);
    erase();
    stream.write(lines.join('\n'));
    drawnLines = lines.length;
    lastDraw = now();
  };
  const plain = () => {
    if (!phase) return;
    const of = phase.total !== undefined ? `${n(phase.done)}/${n(phase.total)}` : n(phase.done);
    const pct = phase.total ? ` (${Math.floor((phase.done / phase.total) * 100)}%)` : '';
    const fetched = phase.fetched ? `, ${n(phase.fetched.count)} fetched` : '';
    const elapsed = formatDuration((now() - phase.started) / 1000);
    stream.write(
      `progress: ${phase.name} ${of}${phase.unit && !phase.total ? ` ${phase.unit}` : ''}${pct}${fetched}, ${elapsed}\n`,
    );
    lastDraw = now();
  };
  const closePhase = () => {
    if (!phase) return;
    if (tty) {
      draw(true);
      stream.write('\n');
      drawnLines = 0;
    } else if (options.verbose) {
      const total = phase.total !== undefined ? `${n(phase.done)}/${n(phase.total)}` : n(phase.done);
      stream.write(
        `progress: ${phase.name}: ${total} in ${formatDuration((now() - phase.started) / 1000)}\n`,
      );
    }
    phase = undefined;
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const line = (text: string) => {
    if (tty) erase();
    stream.write(`${text}\n`);
    if (tty && phase) draw();
  };
  const update = (force: boolean) => {
    const t = now();
    if (tty) {
      if (force || t - lastDraw >= 80) draw();
    } else if (phase && t - phase.started >= plainEvery && t - lastDraw >= plainEvery) plain();
  };

  const reporter: ProgressReporter = {
    stage(name, total) {
      closePhase();
      phase = { name, done: 0, started: now(), ...(total !== undefined ? { total } : {}) };
      if (tty) {
        draw();
        timer = setInterval(() => {
          frame++;
          draw();
        }, 120);
        timer.unref();
      } else {
        if (options.verbose)
          stream.write(`progress: ${name}${total !== undefined ? ` (${n(total)})` : ''}\n`);
        lastDraw = now();
        // A phase that runs long without counting still says so, once per interval.
        timer = setInterval(() => update(false), plainEvery);
        timer.unref();
      }
    },
    progress(done, total) {
      if (!phase) return;
      phase.done = done;
      if (total !== undefined) phase.total = total;
      update(done === phase.total);
    },
    keysListed(listed) {
      // A folder's listing has no phase of its own; on a terminal it gets a line with its count.
      if (!phase || !phase.name.startsWith('listing')) {
        if (!tty) return;
        reporter.stage('listing');
      }
      phase!.done = listed;
      phase!.unit = 'keys found';
      update(false);
    },
    fileFetched(_key, bytes) {
      if (!phase || phase.total === undefined) return;
      phase.fetched ??= { count: 0, bytes: 0 };
      phase.fetched.count++;
      phase.fetched.bytes += bytes;
      update(phase.fetched.count === phase.total);
    },
    filesLoaded() {},
    info(message) {
      line(`rtlake: ${message}`);
    },
    warn(message) {
      line(`rtlake: warning: ${message}`);
    },
    end() {
      closePhase();
    },
  };
  setProgressEnd(() => reporter.end());
  return reporter;
}
