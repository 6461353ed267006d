import type { S3Client } from '@aws-sdk/client-s3';
import picomatch from 'picomatch';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { NoInputError, UsageError } from '../errors.js';
import type { Location } from '../location.js';
import type { RetryCounter, RetryPolicy } from '../retry.js';
import { listObjects } from '../s3/listObjects.js';
import type { DaySources } from './dayMode.js';
import type { SkippedKey } from './skipReasons.js';
import type { Reporter } from './reporter.js';

/** One archive object the job must account for. */
export interface InputObject {
  /** Lineage: the S3 key, or for a folder the path relative to it (so a mirrored folder gives the same keys). */
  sourceKey: string;
  /** For messages: s3://bucket/key or the local path. */
  uri: string;
  size: number;
  location: Location;
  etag?: string;
  storageClass?: string;
  /** Local file path (folder sources). */
  path?: string;
}

export interface Listing {
  inputs: InputObject[];
  /** Objects whose lineage key another source already provides (skipped: lineage must be unique). */
  duplicateKeys: SkippedKey[];
  /** Objects under the sources that the glob did not match (counted, not named). */
  ignoredByGlob: number;
}

export const defaultGlob = '*VehiclePositions*.json*';

/** The glob is matched against the file name: the part after the last '/'. */
export function makeNameMatcher(glob: string): (key: string) => boolean {
  const isMatch = picomatch(glob, { dot: true, nocase: false });
  return (key) => isMatch(key.slice(key.lastIndexOf('/') + 1));
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile() || entry.isSymbolicLink()) out.push(full);
  }
}

async function listLocal(location: Extract<Location, { kind: 'local' }>): Promise<InputObject[]> {
  let info;
  try {
    info = await stat(location.path);
  } catch {
    throw new UsageError(`source folder ${location.uri} does not exist`);
  }
  const files: string[] = [];
  const root = location.root ?? (info.isDirectory() ? location.path : join(location.path, '..'));
  if (info.isDirectory()) await walk(location.path, files);
  else files.push(location.path);
  const inputs: InputObject[] = [];
  for (const file of files.sort()) {
    const size = (await stat(file).catch(() => null))?.size;
    if (size === undefined) continue; // a dangling link: not a file
    inputs.push({
      sourceKey:
        info.isDirectory() || location.root ? relative(root, file).split(sep).join('/') : basename(file),
      uri: file,
      size,
      location,
      path: file,
    });
  }
  return inputs;
}

/**
 * Lists every source (all pages of every S3 prefix, every file under every folder) and keeps the
 * objects whose file name matches the glob. An empty result is a NoInputError naming the sources.
 * `onInput` hears of each kept object as soon as its page is listed, so fetching can start while
 * the listing goes on (a 30,000-key day is 30 pages).
 */
export async function listInputs(
  sources: Location[],
  glob: string,
  s3: () => S3Client,
  options: {
    reporter: Reporter;
    policy?: RetryPolicy;
    counter?: RetryCounter;
    endpoint?: string;
    day?: DaySources;
    onInput?: (input: InputObject) => void;
  },
): Promise<Listing> {
  const matches = makeNameMatcher(glob);
  const day = options.day;
  if (day) sources = day.locations.map((l) => l.location);
  const inputs: InputObject[] = [];
  let listed = 0;
  const seen = new Set<string>();
  const byKey = new Map<string, string>();
  const duplicateKeys: SkippedKey[] = [];
  const accept = (location: Location, neighbour: boolean, objects: InputObject[]) => {
    listed += objects.length;
    for (const o of objects) {
      if (!matches(o.sourceKey)) continue;
      if (day && !day.select(location, o.sourceKey, neighbour)) {
        listed--; // outside the day's window: not this job's key
        continue;
      }
      if (seen.has(o.uri)) continue; // overlapping sources: each object once
      seen.add(o.uri);
      const first = byKey.get(o.sourceKey);
      if (first !== undefined) {
        duplicateKeys.push({
          key: o.uri,
          reason: 'duplicate_key',
          detail: `same key ${o.sourceKey} as ${first}, which is loaded`,
        });
        continue;
      }
      byKey.set(o.sourceKey, o.uri);
      inputs.push(o);
      options.onInput?.(o);
    }
  };
  for (const [index, location] of sources.entries()) {
    const neighbour = day?.locations[index]?.neighbour ?? false;
    if (location.kind === 'local') {
      if (
        day &&
        !(await stat(location.path).then(
          () => true,
          () => false,
        ))
      )
        continue;
      accept(location, neighbour, await listLocal(location));
    } else {
      options.reporter.stage(`listing ${location.uri}`);
      await listObjects(s3(), location.bucket, location.prefix, {
        ...(options.policy ? { policy: options.policy } : {}),
        ...(options.counter ? { counter: options.counter } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        onPage: (n, page) => {
          options.reporter.progress(n);
          accept(
            location,
            neighbour,
            page.map((o) => ({
              sourceKey: o.key,
              uri: `s3://${location.bucket}/${o.key}`,
              size: o.size,
              location,
              etag: o.etag,
              ...(o.storageClass ? { storageClass: o.storageClass } : {}),
            })),
          );
        },
      });
    }
  }
  const where = sources.map((s) => s.uri).join(', ');
  if (listed === 0) throw new NoInputError(`nothing to ingest: ${where} is empty (no objects listed)`);
  if (inputs.length === 0) {
    throw new NoInputError(
      `nothing to ingest: none of the ${listed} objects under ${where} has a file name matching --glob "${glob}"`,
    );
  }
  return { inputs, duplicateKeys, ignoredByGlob: listed - inputs.length - duplicateKeys.length };
}
