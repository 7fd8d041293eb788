import { ConfigError, KairosError } from '@kairos/core';
import { z } from 'zod';
import type { RateLimitStore } from './rate-limit-store';
import type { TimeSource } from './time-source';

/** Settings of a {@link WeightedRateLimiter}. */
export const rateLimiterConfigSchema = z.object({
  /** Budget identity, e.g. 'bybit:<key hash>' or 'bybit:ip:10.0.0.1'. */
  key: z.string().min(1),
  /** Units allowed in any window. */
  limit: z.number().positive(),
  /** Window length (ms). */
  windowMs: z.number().int().positive().default(1000),
  /** Longest a caller waits for units before failing (ms). */
  maxWaitMs: z.number().int().positive().default(120_000),
});
export type RateLimiterConfig = z.input<typeof rateLimiterConfigSchema>;

/**
 * A weighted sliding-window limiter: each call takes its endpoint's cost in units, and the
 * units granted in any window never exceed the limit. The budget lives in a
 * {@link RateLimitStore}; pass the same store and key to every adapter that shares an API
 * key or IP, and a Redis store when several processes do.
 */
export class WeightedRateLimiter {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxWaitMs: number;
  private pendingStore = 0;

  constructor(
    config: RateLimiterConfig,
    private readonly store: RateLimitStore,
    private readonly time: TimeSource,
  ) {
    const parsed = rateLimiterConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`rateLimit.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
    }
    this.key = parsed.data.key;
    this.limit = parsed.data.limit;
    this.windowMs = parsed.data.windowMs;
    this.maxWaitMs = parsed.data.maxWaitMs;
  }

  /** Store calls in flight (real I/O that simulated time must wait for). */
  get busy(): boolean {
    return this.pendingStore > 0;
  }

  /**
   * Waits until `cost` units are granted. A cost above the limit is clamped to the limit
   * (it could never be granted otherwise). Throws a retryable EXCHANGE_RATE_LIMITED when
   * the wait would exceed `maxWaitMs`.
   */
  async acquire(cost = 1): Promise<void> {
    const units = Math.min(Math.max(cost, 0), this.limit);
    const started = this.time.now();
    for (let i = 0; i < 100_000; i++) {
      this.pendingStore += 1;
      let res;
      try {
        res = await this.store.take(this.key, units, this.limit, this.windowMs, this.time.now());
      } finally {
        this.pendingStore -= 1;
      }
      if (res.granted) return;
      if (this.time.now() + res.waitMs - started > this.maxWaitMs) break;
      await this.time.sleep(res.waitMs);
    }
    throw new KairosError('EXCHANGE_RATE_LIMITED', `rate budget ${this.key} exhausted for ${this.maxWaitMs} ms`, { retryable: true, details: { key: this.key } });
  }
}
