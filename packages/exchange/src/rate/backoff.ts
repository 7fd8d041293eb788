/** Exponential backoff settings. */
export interface BackoffOptions {
  /** First wait (ms). */
  readonly baseDelayMs: number;
  /** Longest wait (ms). */
  readonly maxDelayMs: number;
  /** Share of the wait drawn at random, 0..1 (full jitter at 1). */
  readonly jitter: number;
}

/**
 * The wait before retry number `attempt` (1 = first retry): base·2^(attempt−1), capped,
 * with the jittered share drawn from `random()` so that many clients do not retry in step.
 * A server's Retry-After is a floor: we never come back sooner than it asked.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp * (1 - options.jitter) + exp * options.jitter * random();
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}
