import type { Candle, ExchangeAdapter, Timeframe } from '@kairos/core';
import { timeframeMs } from '@kairos/core';

/** The REST slice the live feeds use for polling and back-fill. */
export type CandleRest = Pick<ExchangeAdapter, 'fetchCandles'>;

/**
 * Fetches the candles of `symbol` that opened after `after` and have closed by `now`,
 * oldest first, paging until caught up (at most `maxPages` requests). Used to poll and to
 * back-fill what a dropped stream missed.
 */
export async function fetchClosedCandles(rest: CandleRest, symbol: string, timeframe: Timeframe, after: number, now: number, limit = 1000, maxPages = 50): Promise<Candle[]> {
  const step = timeframeMs(timeframe);
  const out: Candle[] = [];
  let cursor = after + step;
  for (let page = 0; page < maxPages && cursor + step <= now; page++) {
    const got = (await rest.fetchCandles(symbol, timeframe, { since: cursor, limit }))
      .filter((c) => c.time >= cursor && c.time + step <= now)
      .sort((a, b) => a.time - b.time);
    if (got.length === 0) break;
    for (const c of got) if (c.time > (out.at(-1)?.time ?? after)) out.push(c);
    cursor = (out.at(-1) as Candle).time + step;
  }
  return out;
}

/** Open time of the newest candle that has closed at `now`. */
export function lastClosedOpen(now: number, timeframe: Timeframe): number {
  const step = timeframeMs(timeframe);
  return Math.floor(now / step) * step - step;
}
