import type { Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import type { Signal } from '../domain/signal';
import type { SignalBlacklist } from './signal-blacklist';

/** What the validator needs to know besides the signal. */
export interface SignalCheck {
  /** Current time (ms), from the run's clock. */
  readonly now: number;
  /** Close time of the symbol's last candle (ms); `view.time`. */
  readonly lastClose: number;
  /** Closed candles seen for the symbol; `view.length`. */
  readonly history: number;
  /** Warm-up the source needs; `strategy.warmup`. */
  readonly warmup: number;
}

/** Why a signal was refused. */
export type SignalRejectCode = 'stale' | 'warmup' | 'blacklisted';

export type SignalVerdict = { readonly ok: true } | { readonly ok: false; readonly code: SignalRejectCode; readonly reason: string };

export interface SignalValidatorOptions {
  readonly timeframe: Timeframe;
  readonly blacklist?: SignalBlacklist;
  /** Oldest acceptable last candle, in timeframes before now (default 2). */
  readonly maxAgeTimeframes?: number;
}

/**
 * Refuses signals that must not reach the order path: made on stale data (the last
 * candle closed more than `maxAgeTimeframes` timeframes ago, e.g. a stalled feed), on
 * too short a history (before the source's warm-up), or for a blacklisted symbol.
 */
export class SignalValidator {
  private readonly maxAgeMs: number;

  constructor(private readonly options: SignalValidatorOptions) {
    const k = options.maxAgeTimeframes ?? 2;
    if (!(k > 0)) throw new RangeError(`maxAgeTimeframes must be > 0, got ${k}`);
    this.maxAgeMs = k * timeframeMs(options.timeframe);
  }

  async validate(signal: Signal, check: SignalCheck): Promise<SignalVerdict> {
    const age = check.now - check.lastClose;
    if (age > this.maxAgeMs) {
      return { ok: false, code: 'stale', reason: `last ${this.options.timeframe} candle of ${signal.symbol} closed ${Math.round(age / 1000)}s ago (limit ${this.maxAgeMs / 1000}s)` };
    }
    if (check.history < check.warmup) {
      return { ok: false, code: 'warmup', reason: `${check.history} candles of ${signal.symbol}, ${signal.source} needs ${check.warmup}` };
    }
    const entry = await this.options.blacklist?.get(signal.symbol);
    if (entry) {
      const until = entry.until === undefined ? '' : ` until ${new Date(entry.until).toISOString()}`;
      return { ok: false, code: 'blacklisted', reason: `${signal.symbol} is blacklisted${until}: ${entry.reason}` };
    }
    return { ok: true };
  }
}
