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
}

export const silentReporter: Reporter = {
  stage() {},
  progress() {},
  info() {},
  warn() {},
};
