import { KairosError } from '@kairos/core';
import type { TimeSource } from './time-source';

/** Breaker states: closed (normal), open (entries paused), half-open (trying again). */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the breaker (default 5). */
  readonly failureThreshold?: number;
  /** How long entries stay paused after opening (ms, default 15 000). */
  readonly openMs?: number;
  /** Longest pause after repeated re-opening (ms, default 45 000). */
  readonly maxOpenMs?: number;
}

/**
 * Pauses new entries while an exchange is failing or in maintenance; exits and order
 * queries always pass, so positions can still be closed. After the pause the breaker
 * half-opens: the next call is a probe, and one success closes it again. Share one
 * instance among all adapters of an exchange on a box.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private openUntil = 0;
  private currentOpenMs: number;
  private stateValue: CircuitState = 'closed';
  private reason = '';
  private readonly threshold: number;
  private readonly baseOpenMs: number;
  private readonly maxOpenMs: number;

  constructor(
    private readonly time: TimeSource,
    options: CircuitBreakerOptions = {},
  ) {
    this.threshold = options.failureThreshold ?? 5;
    this.baseOpenMs = options.openMs ?? 15_000;
    this.maxOpenMs = options.maxOpenMs ?? 45_000;
    this.currentOpenMs = this.baseOpenMs;
  }

  /** The state now (an open breaker whose pause has passed reads half-open). */
  get state(): CircuitState {
    if (this.stateValue === 'open' && this.time.now() >= this.openUntil) this.stateValue = 'half-open';
    return this.stateValue;
  }

  /** Whether new entries may be sent now. */
  allowsEntries(): boolean {
    return this.state !== 'open';
  }

  /** Throws a retryable EXCHANGE_UNAVAILABLE when entries are paused. */
  assertEntriesAllowed(exchange: string): void {
    if (this.allowsEntries()) return;
    const wait = Math.max(0, this.openUntil - this.time.now());
    throw new KairosError('EXCHANGE_UNAVAILABLE', `${exchange}: entries paused for ${wait} ms (${this.reason})`, {
      retryable: true,
      retryAfterMs: wait,
      details: { exchange, circuit: 'open', reason: this.reason },
    });
  }

  recordSuccess(): void {
    this.failures = 0;
    if (this.state !== 'closed' && this.time.now() >= this.openUntil) {
      this.stateValue = 'closed';
      this.currentOpenMs = this.baseOpenMs;
    }
  }

  /** Counts a failure of the exchange (not of the request: rejections do not count). */
  recordFailure(reason: string): void {
    this.failures += 1;
    const state = this.state;
    if (state === 'half-open') {
      // The probe failed: pause again, longer.
      this.currentOpenMs = Math.min(this.maxOpenMs, this.currentOpenMs * 2);
      this.open(this.currentOpenMs, reason);
    } else if (state === 'closed' && this.failures >= this.threshold) {
      this.open(this.currentOpenMs, reason);
    }
  }

  /** Opens at once until `until` (e.g. the end of an announced maintenance). */
  tripUntil(until: number, reason: string): void {
    this.open(Math.max(0, until - this.time.now()), reason);
  }

  private open(ms: number, reason: string): void {
    const now = this.time.now();
    this.stateValue = 'open';
    this.openedAt = now;
    this.openUntil = Math.max(this.openUntil, now + ms);
    this.reason = reason;
  }

  /** When the current pause began (ms; 0 if never opened). */
  get lastOpenedAt(): number {
    return this.openedAt;
  }
}
