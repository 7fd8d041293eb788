import { DataError, type Timeframe, timeframeMs } from '@kairos/core';
import type { LoadedCandles } from '../data/candle-file';
import { resampleCandles } from './candle-resampler';
import { HistoryStore, type TimeRange } from './history-store';
import { findGaps } from './series-manifest';
import type { SeriesKey } from './series-key';

export interface LoadStoreCandlesOptions extends TimeRange {
  /** Venue folder to read; may be omitted when the store holds the symbols for only one. */
  readonly exchange?: string;
}

/**
 * Loads candles for `symbols` at `timeframe` from a {@link HistoryStore} folder, with the
 * same result shape as `loadCandleDirectory`, so the backtester and the replay feed can
 * read either. When the timeframe is not stored but a lower one that divides it is, the
 * candles are resampled (without lookahead). A missing symbol is a `DataError` listing
 * what the store has.
 */
export async function loadStoreCandles(dir: string, symbols: readonly string[], timeframe: Timeframe, options: LoadStoreCandlesOptions = {}): Promise<LoadedCandles[]> {
  const store = new HistoryStore(dir);
  const all = await store.listSeries();
  const exchanges = [...new Set(all.map((s) => s.exchange))];
  const exchange = options.exchange ?? (exchanges.length === 1 ? exchanges[0] : undefined);
  if (exchange === undefined) {
    throw new DataError(
      exchanges.length === 0 ? `history store ${dir} holds no candles` : `history store ${dir} holds several exchanges (${exchanges.join(', ')}); name one`,
      { dir, exchanges },
    );
  }
  const out: LoadedCandles[] = [];
  for (const symbol of symbols) {
    const held = all.filter((s) => s.exchange === exchange && s.symbol === symbol);
    const key = pickSource(held, timeframe);
    if (!key) {
      const have = [...new Set(all.filter((s) => s.exchange === exchange && s.timeframe === timeframe).map((s) => s.symbol))].sort();
      throw new DataError(`no ${timeframe} candles for ${symbol} on ${exchange} in ${dir}; available: ${have.join(', ') || 'none'}`, { dir, symbol, timeframe, exchange });
    }
    const range = { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) };
    const raw = await store.read(key, range);
    const candles = key.timeframe === timeframe ? raw : resampleCandles(raw, key.timeframe, timeframe);
    const gaps = findGaps(candles.map((c) => c.time), timeframeMs(timeframe));
    out.push({ symbol, timeframe, candles, gaps, file: store.seriesDir(key) });
  }
  return out;
}

/** The stored series to read: the timeframe itself, else the largest lower one dividing it. */
function pickSource(held: readonly SeriesKey[], timeframe: Timeframe): SeriesKey | undefined {
  const want = timeframeMs(timeframe);
  const exact = held.find((s) => s.timeframe === timeframe);
  if (exact) return exact;
  const lower = held
    .filter((s) => {
      const ms = timeframeMs(s.timeframe);
      return ms < want && want % ms === 0 && (timeframe !== '1w' || ms <= 86_400_000);
    })
    .sort((a, b) => timeframeMs(b.timeframe) - timeframeMs(a.timeframe));
  return lower[0];
}
