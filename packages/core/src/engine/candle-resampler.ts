import type { Candle, Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';

/** Monday 1970-01-05 00:00 UTC: weekly candles start on Mondays, as exchanges do. */
const WEEK_ORIGIN_MS = 4 * 86_400_000;

/** Open time of the higher-timeframe bucket holding `time` (UTC-aligned). */
export function bucketStart(time: number, tf: Timeframe): number {
  const ms = timeframeMs(tf);
  const origin = tf === '1w' ? WEEK_ORIGIN_MS : 0;
  return Math.floor((time - origin) / ms) * ms + origin;
}

/**
 * Streams closed lower-timeframe candles into closed higher-timeframe ones, without
 * lookahead: a higher candle is emitted only once it has closed, i.e. when the base
 * candle that ends its bucket arrives, or when a candle of a later bucket shows the
 * bucket is over (after a gap in the data). A still-forming bucket is never visible.
 */
export class CandleResampler {
  private readonly baseMs: number;
  private readonly htfMs: number;
  private open: { time: number; open: number; high: number; low: number; close: number; volume: number } | undefined;

  constructor(
    base: Timeframe,
    readonly timeframe: Timeframe,
  ) {
    this.baseMs = timeframeMs(base);
    this.htfMs = timeframeMs(timeframe);
    if (this.htfMs <= this.baseMs || this.htfMs % this.baseMs !== 0) {
      throw new ConfigError('timeframes', `${timeframe} is not a multiple of the strategy timeframe ${base}`);
    }
  }

  /** Takes the next closed base candle; returns the higher candles that closed with it (0–2). */
  push(c: Candle): Candle[] {
    const out: Candle[] = [];
    const start = bucketStart(c.time, this.timeframe);
    if (this.open && this.open.time !== start) {
      out.push(this.open);
      this.open = undefined;
    }
    if (!this.open) this.open = { time: start, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    else {
      const o = this.open;
      if (c.high > o.high) o.high = c.high;
      if (c.low < o.low) o.low = c.low;
      o.close = c.close;
      o.volume += c.volume;
    }
    if (c.time + this.baseMs >= start + this.htfMs) {
      out.push(this.open);
      this.open = undefined;
    }
    return out;
  }
}
