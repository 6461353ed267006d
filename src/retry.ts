/** Retry with exponential backoff and full jitter, for faults classified as transient. */

export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  /** First backoff ceiling in ms; doubles per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// 12 attempts: at 25% faulty answers a request still fails only once in ~17 million, which an archive
// day of 40,000 keys needs (with 8 attempts about every other such run would lose a key).
export const defaultRetryPolicy: RetryPolicy = { attempts: 12, baseDelayMs: 100, maxDelayMs: 5_000 };

export class TransientFault extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientFault';
  }
}

export interface RetryCounter {
  /** Called before each retry with the fault that caused it. */
  onRetry(fault: unknown): void;
}

/** Counts retries for a run's summary; every store of one storage shares one. */
export class RetryTally implements RetryCounter {
  count = 0;
  onRetry(): void {
    this.count++;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, throws a non-transient error, or the attempts are used up
 * (then the last transient fault is thrown). `isTransient` decides which errors are retried. Once
 * `signal` is aborted nothing is retried: its reason is thrown.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  isTransient: (err: unknown) => boolean,
  policy: RetryPolicy = defaultRetryPolicy,
  counter?: RetryCounter,
  signal?: AbortSignal,
): Promise<T> {
  for (let i = 1; ; i++) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (err) {
      signal?.throwIfAborted();
      if (i >= policy.attempts || !isTransient(err)) throw err;
      counter?.onRetry(err);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (i - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}
