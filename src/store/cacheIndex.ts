import { mkdir, readdir } from 'node:fs/promises';

/**
 * The cache's folders as this run found them: one readdir per folder (256 of them) instead of two
 * failing stat calls per object, and one mkdir per folder instead of one per object. On a fresh
 * 30,000-object day those calls cost ~15 s of the main thread. Objects this run writes are not
 * added: each key is fetched once per run.
 */
export class CacheIndex {
  private readonly listed = new Map<string, Promise<Set<string>>>();
  private readonly made = new Map<string, Promise<unknown>>();

  has(dir: string, name: string): Promise<boolean> {
    let names = this.listed.get(dir);
    if (!names) {
      names = readdir(dir).then(
        (n) => new Set(n),
        () => new Set<string>(),
      );
      this.listed.set(dir, names);
    }
    return names.then((set) => set.has(name));
  }

  ensureDir(dir: string): Promise<unknown> {
    let made = this.made.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true, mode: 0o700 });
      made.catch(() => this.made.delete(dir));
      this.made.set(dir, made);
    }
    return made;
  }
}
