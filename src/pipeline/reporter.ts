/** Progress reporting passed into the stages; the default does nothing. */
export interface Reporter {
  /** A stage starts; total is the number of units it will count, when known. */
  stage(name: string, total?: number): void;
  /** Units done so far in the current stage. */
  progress(done: number, total?: number): void;
  /** A fact worth telling the user (one line). */
  info(message: string): void;
  /** Something odd that did not stop the run (one line). */
  warn(message: string): void;
  /** Objects listed so far in the current source (each page, before the glob). */
  keysListed?(listed: number): void;
  /** One archive object is a local file, ready to load (fetched, found in the cache, or a folder's). */
  fileFetched?(key: string, bytes: number): void;
  /** A batch of files was read into DuckDB (each loaded or skipped with its reason). */
  filesLoaded?(keys: readonly string[]): void;
}

export const silentReporter: Required<Reporter> = {
  stage() {},
  progress() {},
  info() {},
  warn() {},
  keysListed() {},
  fileFetched() {},
  filesLoaded() {},
};
