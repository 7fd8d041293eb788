import { type CandleFeed, type MarketCandle, type Timeframe, timeframeMs } from '@kairos/core';
import { type CandleRest, fetchClosedCandles, lastClosedOpen } from './fetch-closed-candles';

export interface PollingFeedOptions {
  readonly rest: CandleRest;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /**
   * Deliver candles opening after this time (ms). Default: only candles that close after
   * the feed starts (live). Earlier values back-fill first (e.g. indicator warm-up).
   */
  readonly after?: number;
  /** Wait this long after a candle's close before asking for it: venues publish late. Default 2 s. */
  readonly settleMs?: number;
  /** Pause before asking again when nothing new came (publication lag or an error). Default 5 s. */
  readonly retryDelayMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told about failed requests; the feed keeps going and back-fills on the next poll. */
  readonly onError?: (err: unknown, symbol: string) => void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A live feed over REST: after each candle close it asks the exchange for the closed
 * candles of every symbol and delivers them in time order. A failed request loses
 * nothing: the next poll starts after the last delivered candle, so missed candles are
 * back-filled in order.
 */
export class PollingFeed implements CandleFeed {
  readonly symbols: readonly string[];
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: PollingFeedOptions) {
    this.symbols = [...options.symbols];
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MarketCandle> {
    const { rest, timeframe } = this.options;
    const now = this.options.now ?? Date.now;
    const step = timeframeMs(timeframe);
    const settle = this.options.settleMs ?? 2_000;
    const start = this.options.after ?? lastClosedOpen(now(), timeframe);
    const last = new Map(this.symbols.map((s) => [s, start]));
    while (!this.stopped) {
      // The next candle any symbol is waiting for closes at (last + 2·step).
      const due = Math.min(...last.values()) + 2 * step + settle;
      if (now() < due) await this.pause(due - now());
      if (this.stopped) return;
      const batch: MarketCandle[] = [];
      for (const symbol of this.symbols) {
        try {
          const got = await fetchClosedCandles(rest, symbol, timeframe, last.get(symbol) as number, now());
          for (const candle of got) batch.push({ symbol, timeframe, candle });
          if (got.length > 0) last.set(symbol, (got.at(-1) as (typeof got)[number]).time);
        } catch (err) {
          this.options.onError?.(err, symbol);
        }
      }
      batch.sort((a, b) => a.candle.time - b.candle.time || this.symbols.indexOf(a.symbol) - this.symbols.indexOf(b.symbol));
      for (const c of batch) {
        if (this.stopped) return;
        yield c;
      }
      if (batch.length === 0) await this.pause(this.options.retryDelayMs ?? 5_000);
    }
  }

  private async pause(ms: number): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    await Promise.race([sleep(ms), new Promise<void>((r) => (this.wake = r))]);
    this.wake = undefined;
  }
}
