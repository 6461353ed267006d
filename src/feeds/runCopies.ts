import type { EntityLineCache } from './feedRows.js';

/**
 * The dedupe rule as far as the decoder applies it (ingest only; src/pipeline/dedupeRule.ts):
 * which copy of a ping is kept, and in day mode the UTC day (days since 1970-01-01) whose pings
 * are kept.
 */
export interface CopyRule {
  keep: 'latest' | 'earliest';
  day?: number;
}

/**
 * A POSIX time in seconds as the decoder writes it (decimal integer text) when the rule may order
 * by it: a whole number of seconds from 1970 to 5138, the range where DuckDB's to_timestamp is
 * exact and never NULL. Anything else is NaN: no copy is left out because of it.
 */
export function ruleTime(text: string): number {
  if (text === '') return NaN;
  const t = Number(text);
  return Number.isSafeInteger(t) && t >= 0 && t < 1e11 ? t : NaN;
}

/**
 * Copies of one entity within one decoder run that the batch's dedupe would drop anyway, left out
 * of the run's CSV so that DuckDB neither parses nor ranks them. A snapshot re-publishes every
 * vehicle that has not reported since (on MBTA's feed ~3 in 4 entities), so a run of consecutive
 * snapshots holds each such entity several times, byte for byte (EntityLineCache finds them).
 *
 * A copy is left out only when the rule provably prefers another copy that stays in the run's CSV:
 * - the two copies are the same bytes, hence the same row but for feed_timestamp and lineage, in
 *   the same group under either grain;
 * - their feeds' header timestamps differ (equal ones are ordered by source key, left to DuckDB),
 *   and the rule (latest or earliest) prefers the other one;
 * - the copy is keepable: it has a vehicle id and a usable timestamp, of the day in day mode (the
 *   loader counts the others from their rows);
 * - it is not its feed's first vehicle line (which carries the feed's vehicle count);
 * - both feeds' fast walks succeeded (settle runs only then), and the run's CSV is written whole
 *   or the run fails, so the preferred copy is read whenever this one would have been.
 * The preferred copy is the one the rule keeps over every copy seen in the run, so it is never
 * itself left out for a copy that is not there.
 */
export class RunCopies {
  private static runs = 0;
  private readonly run = ++RunCopies.runs;
  /** Each settled part's feed time (ruleTime; NaN: unusable). */
  private readonly feedTimes = new Map<number, number>();
  /** Lines of earlier parts found to be left out, by part. */
  private readonly retracted = new Map<number, Set<number>>();
  /** Where each settled part's lines begin (joinLines), by part. */
  private readonly lineStarts = new Map<number, Int32Array>();

  constructor(private readonly rule: CopyRule) {}

  /** A copy that may be left out: not its feed's first vehicle line, and a row the batch could keep. */
  private mayLeaveOut(cache: EntityLineCache, slot: number, line: number): boolean {
    if (line === 0 || !cache.hasVehicleId(slot)) return false;
    const time = cache.vehicleTime(slot);
    if (Number.isNaN(time)) return false;
    return this.rule.day === undefined || Math.floor(time / 86400) === this.rule.day;
  }

  /** True when the rule prefers a copy from a feed at time `a` over one from a feed at time `b`. */
  private prefers(a: number, b: number): boolean {
    return this.rule.keep === 'latest' ? a > b : a < b;
  }

  /**
   * A part's walk succeeded: `events` holds (slot, line, found) for each of its vehicle lines whose
   * entity the cache holds (found: it held it before this part). Returns the part's own lines to
   * leave out, and marks earlier parts' lines the part's copies beat. Every line of the part must
   * then be passed to joinLines with the returned set and `starts(part, lines)`.
   */
  settle(
    part: number,
    feedTimestamp: string,
    events: readonly number[],
    cache: EntityLineCache,
  ): Set<number> {
    const time = ruleTime(feedTimestamp);
    this.feedTimes.set(part, time);
    const own = new Set<number>();
    for (let e = 0; e < events.length; e += 3) {
      const slot = events[e]!;
      const line = events[e + 1]!;
      const kept = events[e + 2] === 1 ? cache.keptCopy(slot, this.run) : undefined;
      if (kept === undefined || kept.part === part) {
        if (kept === undefined) cache.setKeptCopy(slot, this.run, part, line);
        continue;
      }
      const keptTime = this.feedTimes.get(kept.part);
      if (keptTime === undefined || Number.isNaN(time) || Number.isNaN(keptTime) || time === keptTime) {
        cache.setKeptCopy(slot, this.run, part, line);
      } else if (this.prefers(time, keptTime)) {
        if (this.mayLeaveOut(cache, slot, kept.line)) {
          let lines = this.retracted.get(kept.part);
          if (!lines) this.retracted.set(kept.part, (lines = new Set()));
          lines.add(kept.line);
        }
        cache.setKeptCopy(slot, this.run, part, line);
      } else if (this.mayLeaveOut(cache, slot, line)) {
        own.add(line);
      }
    }
    return own;
  }

  /** Room for where a settled part's `lines` lines begin (joinLines fills it). */
  starts(part: number, lines: number): Int32Array {
    const starts = new Int32Array(lines + 1);
    this.lineStarts.set(part, starts);
    return starts;
  }

  /** A part's CSV without the lines later parts beat. */
  finish(part: number, csv: Buffer): Buffer {
    const lines = this.retracted.get(part);
    const starts = this.lineStarts.get(part);
    if (!lines || !starts) return csv;
    const out = Buffer.allocUnsafe(csv.length);
    let at = 0;
    let from = 0;
    for (const line of [...lines].sort((a, b) => a - b)) {
      at += csv.copy(out, at, from, starts[line]!);
      from = starts[line + 1]!;
    }
    at += csv.copy(out, at, from, csv.length);
    return out.subarray(0, at);
  }
}
