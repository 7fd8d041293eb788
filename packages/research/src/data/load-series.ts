import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Timeframe } from '@kairos/core';
import { type CandleSanityOptions, type CcxtMarketShape, loadCandleDirectory, marketFromCcxt, syntheticMarket } from '@kairos/exchange';
import { SeriesData } from '../sweep/series-data';

export interface LoadSeriesOptions {
  readonly dataDir: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly makerFee?: number;
  readonly takerFee?: number;
  /** Keep candles opening at or after this time (ms). */
  readonly from?: number;
  /** Keep candles opening before this time (ms). */
  readonly to?: number;
  /** Bounds on the candles loaded (jump factor, price and volume limits). */
  readonly sanity?: CandleSanityOptions;
}

/**
 * Loads candle files into {@link SeriesData}, with market rules taken the way the runner
 * takes them: from `markets/binance-spot-sample.json` in the data folder where it lists
 * the symbol, else derived from the candles; fees from the options (default 0.1%).
 */
export async function loadSeries(opts: LoadSeriesOptions): Promise<SeriesData[]> {
  const loaded = await loadCandleDirectory(opts.dataDir, opts.symbols, opts.timeframe, opts.sanity);
  let sample: Record<string, CcxtMarketShape> = {};
  try {
    sample = JSON.parse(await readFile(join(opts.dataDir, 'markets', 'binance-spot-sample.json'), 'utf8')) as Record<string, CcxtMarketShape>;
  } catch {
    sample = {};
  }
  const fees = { makerFee: opts.makerFee ?? 0.001, takerFee: opts.takerFee ?? 0.001 };
  return loaded.map(({ symbol, candles }) => {
    const m = sample[symbol];
    const kept = candles.filter((c) => c.time >= (opts.from ?? -Infinity) && c.time < (opts.to ?? Infinity));
    const base = m ? marketFromCcxt(m, 'decimals') : syntheticMarket(symbol, candles);
    return new SeriesData(symbol, opts.timeframe, kept, { ...base, ...fees });
  });
}
