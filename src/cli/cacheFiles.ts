import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
