import type { Logger } from '../../ports/logger';

/** How long the store has been away, for logs, summaries and tests. */
export interface StoreAway {
  /** Whether it is away now. */
  readonly away: boolean;
  /** Outages declared so far (failures past the blip threshold). */
  readonly outages: number;
  /** Time away in total, the current absence included, blips included (ms). */
  readonly totalMs: number;
  /** Time away in the current absence; 0 when the store answers (ms). */
  readonly currentMs: number;
}

export interface StoreHealthOptions {
  readonly now: () => number;
  /** Names the store in log lines. */
  readonly name: string;
  readonly logger?: Logger;
  /** Told when the store goes away (false) and when it is back (true). */
  readonly onHealthChange?: (healthy: boolean, error?: unknown) => void;
}

/**
 * The store's availability as the trading side sees it: reports each change once (a
 * `TradingGate` wired to `onHealthChange` blocks new entries for the whole absence),
 * logs where an outage starts and ends, and adds up how long the store was away.
 */
export class StoreHealth {
  private healthy = true;
  private since = 0;
  private total = 0;
  private count = 0;
  private declared = false;

  constructor(private readonly opts: StoreHealthOptions) {}

  get isHealthy(): boolean {
    return this.healthy;
  }

  get away(): StoreAway {
    const current = this.healthy ? 0 : Math.max(0, this.opts.now() - this.since);
    return { away: !this.healthy, outages: this.count, totalMs: this.total + current, currentMs: current };
  }

  /**
   * A call failed and is retried: the store is away, possibly only for a blip, since
   * `since` (when the failed call was sent: a call that timed out was away all along).
   */
  failing(error: unknown, since = this.opts.now()): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.since = since;
    this.opts.onHealthChange?.(false, error);
  }

  /** A retried call went through before the blip became an outage. */
  blipOver(): void {
    if (this.healthy || this.declared) return;
    const ms = this.end();
    this.opts.logger?.info({ store: this.opts.name, awayMs: ms }, 'trade store answered again after a short failure');
    this.opts.onHealthChange?.(true);
  }

  /** Failures went on past the blip threshold: writes are journaled from now on. */
  outageBegan(error: unknown, detail: Record<string, unknown>): void {
    this.failing(error);
    if (this.declared) return;
    this.declared = true;
    this.count += 1;
    this.opts.logger?.warn(
      { store: this.opts.name, error: error instanceof Error ? error.message : String(error), ...detail },
      'trade store unavailable: new entries blocked; exits go on and their writes are journaled until it is back',
    );
  }

  /** The journal is replayed and the store answers: the outage is over. */
  recovered(detail: Record<string, unknown>): void {
    if (this.healthy) return;
    const wasOutage = this.declared;
    const ms = this.end();
    const log = { store: this.opts.name, awayMs: ms, totalAwayMs: this.total, outages: this.count, ...detail };
    if (wasOutage) this.opts.logger?.warn(log, `trade store back after ${(ms / 1000).toFixed(1)} s: journal replayed, new entries allowed again`);
    else this.opts.logger?.info(log, 'trade store answered again');
    this.opts.onHealthChange?.(true);
  }

  private end(): number {
    const ms = Math.max(0, this.opts.now() - this.since);
    this.total += ms;
    this.healthy = true;
    this.declared = false;
    return ms;
  }
}
