import { type Candle, DataError, type Timeframe, timeframeMs } from '@kairos/core';
import type { LoadedCandles } from '../data/candle-file';
import { type CandleSanityOptions, type ResolvedCandleSanity, candleSanityProblem, resolveCandleSanity } from '../data/candle-sanity';
import { resampleCandles } from './candle-resampler';
import { HistoryStore, type TimeRange } from './history-store';
import { findGaps } from './series-manifest';
import type { SeriesKey } from './series-key';

export interface LoadStoreCandlesOptions extends TimeRange, CandleSanityOptions {
  /** Venue folder to read; may be omitted when the store holds the symbols for only one. */
  readonly exchange?: string;
}

/**
 * Loads candles for `symbols` at `timeframe` from a {@link HistoryStore} folder, with the
 * same result shape as `loadCandleDirectory`, so the backtester and the replay feed can
 * read either. When the timeframe is not stored but a lower one that divides it is, the
 * candles are resampled (without lookahead). A missing symbol is a `DataError` listing
 * what the store has. Stored candles are held to the same sanity bounds as CSV files
 * (`options` as for `parseCandleCsv`), so both ways into a backtest trade on the same
 * data.
 */
export async function loadStoreCandles(dir: string, symbols: readonly string[], timeframe: Timeframe, options: LoadStoreCandlesOptions = {}): Promise<LoadedCandles[]> {
  const sanity = resolveCandleSanity(options);
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
    checkSanity(raw, sanity, store.seriesDir(key));
    const candles = key.timeframe === timeframe ? raw : resampleCandles(raw, key.timeframe, timeframe);
    const gaps = findGaps(candles.map((c) => c.time), timeframeMs(timeframe));
    out.push({ symbol, timeframe, candles, gaps, file: store.seriesDir(key) });
  }
  return out;
}

/**
 * Applies the sanity bounds to a stored series. The store itself only enforces structure
 * (its format tests hold synthetic candles from 1970), so the bounds are applied where
 * candles leave it for trading.
 */
function checkSanity(candles: readonly Candle[], sanity: ResolvedCandleSanity, where: string): void {
  let prev: Candle | undefined;
  for (const c of candles) {
    const problem = candleSanityProblem(c, prev, sanity);
    if (problem !== undefined) {
      // Out-of-range times have no ISO form (toISOString throws past year 275760).
      const at = Math.abs(c.time) <= 8.64e15 ? new Date(c.time).toISOString() : String(c.time);
      throw new DataError(`${where}: candle at ${at}: ${problem}`, { dir: where, time: c.time });
    }
    prev = c;
  }
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
