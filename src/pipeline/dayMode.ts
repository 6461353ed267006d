import { UsageError } from '../errors.js';
import type { Store } from '../store/store.js';

/** A UTC calendar day. */
export interface Day {
  year: number;
  month: number;
  day: number;
}

export const defaultLayout = 'YYYY/MM/DD/';

export function parseDay(text: string, flag: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (
    !m ||
    !d ||
    d.getUTCFullYear() !== Number(m[1]) ||
    d.getUTCMonth() !== Number(m[2]) - 1 ||
    d.getUTCDate() !== Number(m[3])
  ) {
    throw new UsageError(`${flag} must be a date like 2021-09-06, got "${text}"`);
  }
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function dayStart(d: Day): number {
  return Date.UTC(d.year, d.month - 1, d.day) / 1000;
}

export function addDays(d: Day, n: number): Day {
  const t = new Date((dayStart(d) + n * 86400) * 1000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function formatDay(d: Day): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: Day, to: Day): Day[] {
  if (dayStart(to) < dayStart(from))
    throw new UsageError(`--to ${formatDay(to)} is before --from ${formatDay(from)}`);
  const out: Day[] = [];
  for (let d = from; dayStart(d) <= dayStart(to); d = addDays(d, 1)) out.push(d);
  if (out.length > 3660) throw new UsageError('--from/--to spans more than ten years');
  return out;
}

/** The archive's folder for a day: YYYY, MM, DD (zero-padded) and M, D (not) in the layout. */
export function renderLayout(layout: string, d: Day): string {
  if (!/YYYY/.test(layout)) throw new UsageError(`--layout "${layout}" must contain YYYY`);
  return layout
    .replaceAll('YYYY', String(d.year))
    .replaceAll('MM', String(d.month).padStart(2, '0'))
    .replaceAll('DD', String(d.day).padStart(2, '0'));
}

/**
 * The snapshot time in an archive key's file name, in seconds: MBTA uses both
 * `2021-09-06T00:00:05Z_…` and `2019-12-12T00_00_10_…`. Null when the name carries no time.
 */
export function keyTime(key: string): number | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})[:_](\d{2})[:_](\d{2})/.exec(name);
  if (!m) return null;
  return (
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
  );
}

/** A source narrowed to one day: the folders to list, and which keys of them belong to the day's window. */
export interface DaySources {
  /** The day's own folder first, then the neighbouring days' folders. */
  stores: { store: Store; neighbour: boolean }[];
  /** True for a key that belongs to the day's job. */
  select(key: string, neighbour: boolean): boolean;
}

/**
 * Day mode: for a day D, the archive's D folder plus the D-1 and D+1 folders, keeping from the
 * neighbours only keys whose name time lies within `windowSeconds` of D's midnights (pings from
 * 23:59 are published in the first files after midnight, and the other way round).
 */
export function daySources(roots: Store[], d: Day, layout: string, windowSeconds: number): DaySources {
  const stores: DaySources['stores'] = [];
  for (const root of roots) {
    for (const [offset, neighbour] of [
      [0, false],
      [-1, true],
      [1, true],
    ] as const) {
      stores.push({ store: root.child(renderLayout(layout, addDays(d, offset))), neighbour });
    }
  }
  const start = dayStart(d) - windowSeconds;
  const end = dayStart(d) + 86400 + windowSeconds;
  return {
    stores,
    select(key, neighbour) {
      const t = keyTime(key);
      if (t === null) return !neighbour;
      return t >= start && t < end;
    },
  };
}
