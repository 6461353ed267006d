import { defaultFeedGlob } from '../../feeds/feedKinds.js';
import picomatch from 'picomatch';
import { NoInputError, UsageError } from '../../errors.js';
import type { Store, StoredObject } from '../../store/store.js';
import type { DaySources } from '../dayMode.js';
import type { Reporter } from '../reporter.js';
import type { SkippedKey } from '../skipReasons.js';

/** One archive object the job must account for, and the store it is read from. */
export interface InputObject extends StoredObject {
  store: Store;
}

export interface Listing {
  inputs: InputObject[];
  /** Objects whose lineage key another source already provides (skipped: lineage must be unique). */
  duplicateKeys: SkippedKey[];
  /** Objects under the sources that the glob did not match (counted, not named). */
  ignoredByGlob: number;
}

/** VehiclePositions files ending in .json or .pb, either optionally .gz (--feed changes it for ingest). */
export const defaultGlob = defaultFeedGlob(['vehicle_positions']);

/** The glob is matched against the file name: the part after the last '/'. */
export function makeNameMatcher(glob: string): (key: string) => boolean {
  const isMatch = picomatch(glob, { dot: true, nocase: false });
  return (key) => isMatch(key.slice(key.lastIndexOf('/') + 1));
}

/**
 * Lists every source (all pages of every S3 prefix, every file under every folder) and keeps the
 * objects whose file name matches the glob. An empty result is a NoInputError naming the sources.
 * `onInput` hears of each kept object as soon as its page is listed, so fetching can start while
 * the listing goes on (a 30,000-key day is 30 pages).
 */
export async function listInputs(
  sources: Store[],
  glob: string,
  options: {
    reporter: Reporter;
    day?: DaySources;
    signal?: AbortSignal;
    onInput?: (input: InputObject) => void;
  },
): Promise<Listing> {
  const matches = makeNameMatcher(glob);
  const day = options.day;
  const places = day ? day.stores : sources.map((store) => ({ store, neighbour: false }));
  const inputs: InputObject[] = [];
  let listed = 0;
  const seen = new Set<string>();
  const byKey = new Map<string, string>();
  const duplicateKeys: SkippedKey[] = [];
  const accept = (store: Store, neighbour: boolean, objects: StoredObject[]) => {
    listed += objects.length;
    for (const o of objects) {
      if (!matches(o.key)) continue;
      if (day && !day.select(o.key, neighbour)) {
        listed--; // outside the day's window: not this job's key
        continue;
      }
      if (seen.has(o.uri)) continue; // overlapping sources: each object once
      seen.add(o.uri);
      const first = byKey.get(o.key);
      if (first !== undefined) {
        duplicateKeys.push({
          key: o.uri,
          reason: 'duplicate_key',
          detail: `same key ${o.key} as ${first}, which is loaded`,
        });
        continue;
      }
      byKey.set(o.key, o.uri);
      const input = { ...o, store };
      inputs.push(input);
      options.onInput?.(input);
    }
  };
  for (const { store, neighbour } of places) {
    if ((await store.probeRoot()) === 'missing') {
      if (day) continue; // a day without a folder: nothing archived that day
      throw new UsageError(`source folder ${store.uri} does not exist`);
    }
    if (store.remote) options.reporter.stage(`listing ${store.uri}`);
    await store.list({
      ...(options.signal ? { signal: options.signal } : {}),
      onPage: (page, n) => {
        // A bucket lists page by page; a folder at once, which is no progress worth a line.
        if (store.remote) {
          options.reporter.progress(n);
          options.reporter.keysListed?.(n);
        }
        accept(store, neighbour, page);
      },
    });
  }
  const where = places.map((p) => p.store.uri).join(', ');
  if (listed === 0) throw new NoInputError(`nothing to ingest: ${where} is empty (no objects listed)`);
  if (inputs.length === 0) {
    throw new NoInputError(
      `nothing to ingest: none of the ${listed} objects under ${where} has a file name matching --glob "${glob}"`,
    );
  }
  return { inputs, duplicateKeys, ignoredByGlob: listed - inputs.length - duplicateKeys.length };
}
