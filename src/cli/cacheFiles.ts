import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface CacheFile {
  path: string;
  size: number;
  /** Last use: the access time where the file system keeps it, else the modification time. */
  used: number;
}

/** The folders rtlake keeps under the cache: fetched archive objects and S3 lakes' local copies. */
export const cacheParts = ['objects', 'lake-copies'] as const;

/** Every file rtlake put in the cache folder (none when it does not exist). */
export async function cacheFiles(dir: string): Promise<CacheFile[]> {
  const entries = [];
  for (const part of cacheParts)
    entries.push(
      ...(await readdir(join(dir, part), { withFileTypes: true, recursive: true }).catch(() => [])),
    );
  const files: CacheFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    const info = await stat(path).catch(() => null);
    if (info) files.push({ path, size: info.size, used: Math.max(info.atimeMs, info.mtimeMs) });
  }
  return files;
}

export async function cacheInfo(dir: string): Promise<{ files: number; bytes: number }> {
  const files = await cacheFiles(dir);
  return { files: files.length, bytes: files.reduce((s, f) => s + f.size, 0) };
}

export async function cleanCache(dir: string): Promise<{ files: number; bytes: number }> {
  const found = await cacheInfo(dir);
  // Only rtlake's own folders: --cache-dir may name a folder that holds other things too.
  for (const part of cacheParts) await rm(join(dir, part), { recursive: true, force: true });
  return found;
}

export interface Eviction {
  files: number;
  bytes: number;
  /** What the cache holds afterwards. */
  kept_bytes: number;
}

/**
 * Keeps the cache under `capBytes` by removing the least recently used files first, never those in
 * `inUse` (the files this run reads) nor the copies' manifests. A removed lake copy or object is
 * fetched again when next needed: the manifests and the object index check that a file exists.
 */
export async function evictToCap(
  dir: string,
  capBytes: number,
  inUse: ReadonlySet<string> = new Set(),
): Promise<Eviction> {
  const files = await cacheFiles(dir);
  let total = files.reduce((s, f) => s + f.size, 0);
  const result: Eviction = { files: 0, bytes: 0, kept_bytes: total };
  if (total <= capBytes) return result;
  const candidates = files
    .filter((f) => !inUse.has(f.path) && !basename(f.path).startsWith('.rtlake'))
    .sort((a, b) => a.used - b.used);
  for (const f of candidates) {
    if (total <= capBytes) break;
    await rm(f.path, { force: true });
    total -= f.size;
    result.files++;
    result.bytes += f.size;
  }
  result.kept_bytes = total;
  return result;
}

/** Marks files as just used, so eviction takes them last (access times are often not kept). */
export async function touch(paths: Iterable<string>): Promise<void> {
  const now = new Date();
  for (const p of paths) await utimes(p, now, now).catch(() => {});
}
