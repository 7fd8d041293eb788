import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, type Timeframe } from '@kairos/core';
import { type LoadedCandles, loadCandleFile, parseCandleFileName } from './candle-file';
import type { CandleSanityOptions } from './candle-sanity';

/**
 * Finds and loads the candle files for `symbols` at `timeframe` in a folder of files
 * named like 'BTC_USDT-1h.csv' (or '.csv.gz'). A missing symbol is an error that says
 * which symbols the folder does have. `options` bound prices, volumes and jumps as for
 * `parseCandleCsv`.
 */
export async function loadCandleDirectory(dir: string, symbols: readonly string[], timeframe: Timeframe, options: CandleSanityOptions = {}): Promise<LoadedCandles[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new DataError(`data folder ${dir} cannot be read`, { dir });
  }
  const available = new Map<string, string>();
  for (const name of names) {
    const p = parseCandleFileName(name);
    if (p && p.timeframe === timeframe && !available.has(p.symbol)) available.set(p.symbol, join(dir, name));
  }
  const out: LoadedCandles[] = [];
  for (const symbol of symbols) {
    const file = available.get(symbol);
    if (!file) {
      throw new DataError(
        `no ${timeframe} candles for ${symbol} in ${dir}; available: ${[...available.keys()].sort().join(', ') || 'none'}`,
        { dir, symbol, timeframe },
      );
    }
    out.push(await loadCandleFile(file, options));
  }
  return out;
}

/** Symbols with a candle file for `timeframe` in `dir`. */
export async function listCandleSymbols(dir: string, timeframe: Timeframe): Promise<string[]> {
  const names = await readdir(dir);
  const set = new Set<string>();
  for (const n of names) {
    const p = parseCandleFileName(n);
    if (p && p.timeframe === timeframe) set.add(p.symbol);
  }
  return [...set].sort();
}
