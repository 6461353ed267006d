import { silentReporter, type Reporter } from '../pipeline/reporter.js';
import type { GlobalFlags } from './flags.js';
import { progressReporter } from './progress.js';

/** The progress reporter a command's flags ask for: none with --quiet (or when `silent`). */
export function reporterFor(flags: GlobalFlags, silent = false): Reporter {
  if (flags.quiet || silent) return silentReporter;
  return progressReporter({ verbose: Boolean(flags.verbose || flags.debug) });
}
