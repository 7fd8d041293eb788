import { type Candle, type Market, type Timeframe, timeframeMs } from '@kairos/core';
import { type SeriesInputs, getIndicator } from '@kairos/indicators-gpu';
import type { SeriesColumns } from './fill-model';

/**
 * One symbol's candles prepared for sweeps: the candle objects (for the generic path),
 * the same data as typed columns (for the fast path), and a memo of batch indicator
 * outputs keyed by indicator and params, so a 500-set sweep over two MA periods computes
 * each distinct MA once.
 */
export class SeriesData {
  readonly columns: SeriesColumns;
  readonly inputs: SeriesInputs;
  private readonly memo = new Map<string, Record<string, Float64Array>>();

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    readonly candles: readonly Candle[],
    readonly market: Market,
  ) {
    const n = candles.length;
    const col = (f: (c: Candle) => number) => {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = f(candles[i] as Candle);
      return a;
    };
    const open = col((c) => c.open);
    const high = col((c) => c.high);
    const low = col((c) => c.low);
    const close = col((c) => c.close);
    const volume = col((c) => c.volume);
    this.inputs = { open, high, low, close, volume };
    this.columns = { symbol, market, time: col((c) => c.time), open, high, low, close, volume, timeframeMs: timeframeMs(timeframe) };
  }

  get length(): number {
    return this.candles.length;
  }

  /** A sub-range [from, to) of the candles as a new series (walk-forward windows, truncation checks). */
  slice(from: number, to: number): SeriesData {
    return new SeriesData(this.symbol, this.timeframe, this.candles.slice(from, to), this.market);
  }

  /** Batch output `output` (default: the first) of `name` with `params`, computed once. */
  indicator(name: string, params: Readonly<Record<string, number | string | boolean>>, output?: string): Float64Array {
    const ind = getIndicator(name);
    const parsed = ind.parseParams(params as never) as Record<string, unknown>;
    const key = `${name}${JSON.stringify(Object.keys(parsed).sort().map((k) => [k, parsed[k]]))}`;
    let res = this.memo.get(key);
    if (!res) {
      res = ind.batch(this.inputs, parsed as never);
      this.memo.set(key, res);
    }
    const out = res[output ?? (ind.spec.outputs[0] as string)];
    if (!out) throw new Error(`indicator ${name} has no output ${String(output)}`);
    return out;
  }

  /** Stores precomputed outputs (e.g. from a multi-series GPU batch) under the same key `indicator` reads. */
  seed(name: string, params: Readonly<Record<string, unknown>>, outputs: Record<string, Float64Array>): void {
    const parsed = getIndicator(name).parseParams(params as never) as Record<string, unknown>;
    this.memo.set(`${name}${JSON.stringify(Object.keys(parsed).sort().map((k) => [k, parsed[k]]))}`, outputs);
  }

  /** Drops memoised indicator outputs (frees memory between sweeps). */
  clearIndicators(): void {
    this.memo.clear();
  }
}
