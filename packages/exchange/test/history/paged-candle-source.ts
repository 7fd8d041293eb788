import { type Candle, type FetchCandlesOptions, KairosError, type Timeframe } from '@kairos/core';
import type { CandleSource } from '../../src/history/download-candles';

/**
 * A hand-written candle endpoint that pages like a venue's REST API: candles opening at
 * or after `since`, at most `limit` (capped at `maxLimit`), oldest first. It can fail on
 * chosen calls, to simulate an interrupted or flaky back-fill.
 */
export class PagedCandleSource implements CandleSource {
  readonly capabilities = { candleLimit: 1000 };
  readonly calls: Array<{ symbol: string; timeframe: Timeframe; since: number | undefined; limit: number | undefined }> = [];
  /** Call numbers (1-based) that throw, and whether the error is retryable. */
  failOn = new Map<number, boolean>();

  constructor(
    private readonly series: Readonly<Record<string, readonly Candle[]>>,
    private readonly maxLimit = 1000,
  ) {}

  async fetchCandles(symbol: string, timeframe: Timeframe, options: FetchCandlesOptions = {}): Promise<Candle[]> {
    this.calls.push({ symbol, timeframe, since: options.since, limit: options.limit });
    const retryable = this.failOn.get(this.calls.length);
    if (retryable !== undefined) {
      throw new KairosError(retryable ? 'EXCHANGE_UNAVAILABLE' : 'EXCHANGE_ERROR', `injected failure on call ${this.calls.length}`, { retryable });
    }
    const all = this.series[symbol] ?? [];
    const since = options.since ?? Number.NEGATIVE_INFINITY;
    const limit = Math.min(options.limit ?? 200, this.maxLimit);
    return all.filter((c) => c.time >= since).slice(0, limit);
  }
}
