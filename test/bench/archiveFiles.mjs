// Helpers shared by baseline.mjs and naive.mjs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every archive file under root/YYYY/MM/DD/, sorted by key. */
export function listArchiveFiles(root) {
  const out = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.json(\.gz)?$/.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Seconds to the millisecond, for the JSON line each contender prints. */
export function round(x) {
  return Math.round(x * 1000) / 1000;
}
