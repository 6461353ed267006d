import { mkdirSync, readdirSync } from 'node:fs';

/**
 * The cache's folders as this run found them: one readdir per folder (256 of them) instead of two
 * failing stat calls per object, and one mkdir per folder instead of one per object. On a fresh
 * 30,000-object day those calls cost ~15 s of the main thread. Objects this run writes are not
 * added: each key is fetched once per run.
 */
export class CacheIndex {
  private readonly listed = new Map<string, Promise<Set<string>>>();
  private readonly made = new Map<string, Promise<unknown>>();

  // Synchronous calls: a readdir or mkdir of one small folder takes microseconds, and its promise
  // ~70 µs of this thread, which fetching keeps busy.
  has(dir: string, name: string): Promise<boolean> {
    let names = this.listed.get(dir);
    if (!names) {
      let found: Set<string>;
      try {
        found = new Set(readdirSync(dir));
      } catch {
        found = new Set();
      }
      names = Promise.resolve(found);
      this.listed.set(dir, names);
    }
    return names.then((set) => set.has(name));
  }

  ensureDir(dir: string): Promise<unknown> {
    let made = this.made.get(dir);
    if (!made) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        return Promise.reject(err);
      }
      made = Promise.resolve();
      this.made.set(dir, made);
    }
    return made;
  }
}
