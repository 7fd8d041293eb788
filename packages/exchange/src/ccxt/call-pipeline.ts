import type { KairosError, Logger } from '@kairos/core';
import { mapExchangeError } from '../errors/map-exchange-error';
import type { Redactor } from '../errors/redactor';
import { type BackoffOptions, backoffDelay } from '../rate/backoff';
import type { CircuitBreaker } from '../rate/circuit-breaker';
import type { TimeSource } from '../rate/time-source';
import type { WeightedRateLimiter } from '../rate/weighted-rate-limiter';
import type { CcxtLike } from './ccxt-like';
import type { CcxtOperation } from './venue-profile';

/** What a {@link CallPipeline} needs. */
export interface CallPipelineParts {
  readonly exchange: string;
  readonly client: () => Promise<CcxtLike>;
  readonly limiter: WeightedRateLimiter;
  readonly breaker: CircuitBreaker;
  readonly time: TimeSource;
  readonly log: Logger;
  readonly redact: Redactor;
  readonly random: () => number;
  readonly retry: BackoffOptions & { readonly maxAttempts: number };
  readonly costs: Partial<Record<CcxtOperation, number>>;
}

/** The result of one attempt: a value, or the failure as thrown. */
export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * The path every request takes: the shared rate budget, the in-flight count, breaker
 * bookkeeping, error mapping and, for safe calls, retries with backoff.
 */
export class CallPipeline {
  private inFlight = 0;

  constructor(private readonly parts: CallPipelineParts) {}

  /** Requests doing I/O now (not waiting on the budget or a backoff). */
  get active(): number {
    return this.inFlight + (this.parts.limiter.busy ? 1 : 0);
  }

  cost(op: CcxtOperation): number {
    return this.parts.costs[op] ?? 1;
  }

  /** One attempt after the budget grants it; never throws the request's failure. */
  async once<T>(op: CcxtOperation, fn: (c: CcxtLike) => Promise<T>): Promise<Attempt<T>> {
    await this.parts.limiter.acquire(this.cost(op));
    this.inFlight += 1;
    try {
      const value = await fn(await this.parts.client());
      this.parts.breaker.recordSuccess();
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    } finally {
      this.inFlight -= 1;
    }
  }

  map(error: unknown, op: string): KairosError {
    return mapExchangeError(error, { exchange: this.parts.exchange, operation: op, redact: this.parts.redact });
  }

  /** Waits before retry number `attempt`, honouring the error's Retry-After. */
  async backoff(op: string, attempt: number, err: KairosError): Promise<void> {
    const wait = backoffDelay(attempt, this.parts.retry, this.parts.random, err.retryAfterMs);
    this.parts.log.warn({ exchange: this.parts.exchange, operation: op, attempt, code: err.code, waitMs: wait }, 'retrying');
    await this.parts.time.sleep(wait);
  }

  /** A safe (idempotent) call: retried on retryable errors up to `attempts` times. */
  async call<T>(op: CcxtOperation, fn: (c: CcxtLike) => Promise<T>, attempts = this.parts.retry.maxAttempts): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.once(op, fn);
      if (res.ok) return res.value;
      const err = this.map(res.error, op);
      if (err.retryable) this.parts.breaker.recordFailure(`${op} ${err.code}`);
      if (err.details.maintenance === true) this.parts.breaker.tripUntil(this.parts.time.now() + 60_000, 'maintenance');
      if (!err.retryable || attempt >= attempts) throw err;
      await this.backoff(op, attempt, err);
    }
  }
}
