import type { Candle, MarketCandle } from '@kairos/core';
import { type StreamingIndicator, getIndicator } from '@kairos/indicators-gpu';
import { z } from 'zod';

export const MarketMemoryConfig = z.object({
  /** Closed candles kept per symbol (returns for correlation and stdev come from these). */
  capacity: z.number().int().min(10).max(10_000).default(500),
  /** ATR period used by ATR-based stops, sizing and volatility targeting. */
  atrPeriod: z.number().int().min(1).max(500).default(14),
});
export type MarketMemoryConfig = z.infer<typeof MarketMemoryConfig>;

interface Series {
  readonly times: number[];
  readonly closes: number[];
  last: Candle | undefined;
  readonly atr: StreamingIndicator;
  atrValue: number;
}

/**
 * What risk remembers of the market: recent candles per symbol, a streaming ATR
 * (O(1) per candle, from `@kairos/indicators-gpu`), close-to-close returns for
 * volatility and correlation. One instance is shared by all parts of a risk set.
 */
export class MarketMemory {
  readonly config: MarketMemoryConfig;
  private readonly series = new Map<string, Series>();

  constructor(config: z.input<typeof MarketMemoryConfig> = {}) {
    this.config = MarketMemoryConfig.parse(config);
  }

  /** Feeds one closed candle; repeats and older candles are ignored. */
  onCandle(mc: MarketCandle): void {
    let s = this.series.get(mc.symbol);
    if (!s) {
      s = { times: [], closes: [], last: undefined, atr: getIndicator('atr').stream({ period: this.config.atrPeriod }), atrValue: Number.NaN };
      this.series.set(mc.symbol, s);
    }
    const c = mc.candle;
    if (s.last && c.time <= s.last.time) return;
    s.last = c;
    s.times.push(c.time);
    s.closes.push(c.close);
    // Trim in chunks so the arrays stay bounded without an O(n) shift per candle.
    if (s.times.length > 2 * this.config.capacity) {
      s.times.splice(0, s.times.length - this.config.capacity);
      s.closes.splice(0, s.closes.length - this.config.capacity);
    }
    try {
      const out = s.atr.update({ open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
      s.atrValue = out.value ?? Number.NaN;
    } catch {
      // A malformed candle leaves the last ATR in place rather than stopping risk.
    }
  }

  /** Latest ATR of `symbol` in price units; NaN until warm. */
  atr(symbol: string): number {
    return this.series.get(symbol)?.atrValue ?? Number.NaN;
  }

  lastCandle(symbol: string): Candle | undefined {
    return this.series.get(symbol)?.last;
  }

  /** The last `window` close-to-close simple returns, keyed by candle open time. */
  returns(symbol: string, window: number): Map<number, number> {
    const out = new Map<number, number>();
    const s = this.series.get(symbol);
    if (!s) return out;
    const start = Math.max(1, s.closes.length - window);
    for (let i = start; i < s.closes.length; i++) {
      const prev = s.closes[i - 1] as number;
      if (prev > 0) out.set(s.times[i] as number, (s.closes[i] as number) / prev - 1);
    }
    return out;
  }

  /** Sample standard deviation of the last `window` returns; NaN with fewer than 2. */
  returnStdev(symbol: string, window: number): number {
    const r = [...this.returns(symbol, window).values()];
    if (r.length < 2) return Number.NaN;
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const v = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
    return Math.sqrt(v);
  }
}
