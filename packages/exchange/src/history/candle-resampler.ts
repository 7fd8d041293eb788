import { type Candle, ConfigError, type Timeframe, timeframeMs } from '@kairos/core';

/** 1970-01-01 was a Thursday; weekly candles open on Mondays (as Binance and Bybit do). */
const WEEK_OFFSET_MS = 4 * 86_400_000;

/** Open time of the `target` bucket holding the candle that opens at `time`. */
export function bucketStart(time: number, target: Timeframe): number {
  const size = timeframeMs(target);
  const offset = target === '1w' ? WEEK_OFFSET_MS : 0;
  return Math.floor((time - offset) / size) * size + offset;
}

/**
 * Folds candles of a lower timeframe into a higher one, one candle at a time, without
 * lookahead: a higher candle is released only once its period is over, i.e. when its
 * last lower candle has arrived or a candle of a later period shows the period ended
 * (then with whatever lower candles existed: gaps shrink it, they are not invented).
 * Feeding it candle by candle gives exactly what {@link resampleCandles} gives in batch.
 */
export class CandleResampler {
  private readonly sourceMs: number;
  private readonly targetMs: number;
  private current: { start: number; open: number; high: number; low: number; close: number; volume: number } | undefined;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(
    readonly source: Timeframe,
    readonly target: Timeframe,
  ) {
    this.sourceMs = timeframeMs(source);
    this.targetMs = timeframeMs(target);
    if (this.targetMs < this.sourceMs || this.targetMs % this.sourceMs !== 0 || (target === '1w' && this.sourceMs > 86_400_000)) {
      throw new ConfigError('timeframe', `cannot resample ${source} candles into ${target}: the target must be a whole multiple of the source`);
    }
  }

  /**
   * Adds the next closed lower candle (open times strictly increasing) and returns the
   * higher candles that this closes: none, or one; two when a gap skipped a period end.
   */
  push(c: Candle): Candle[] {
    if (c.time <= this.lastTime) throw new ConfigError('candles', `resampler input out of order: ${c.time} after ${this.lastTime}`);
    this.lastTime = c.time;
    const out: Candle[] = [];
    const start = bucketStart(c.time, this.target);
    const cur = this.current;
    if (cur && cur.start !== start) {
      out.push(this.release());
    }
    if (this.current === undefined) {
      this.current = { start, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    } else {
      const b = this.current;
      b.high = Math.max(b.high, c.high);
      b.low = Math.min(b.low, c.low);
      b.close = c.close;
      b.volume += c.volume;
    }
    // The last lower candle of the period has closed, so the higher candle has too.
    if (c.time + this.sourceMs === start + this.targetMs) out.push(this.release());
    return out;
  }

  private release(): Candle {
    const b = this.current as NonNullable<typeof this.current>;
    this.current = undefined;
    return { time: b.start, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
  }
}

/**
 * Resamples a sorted candle series to a higher timeframe. The trailing period is dropped
 * when its last lower candle is missing, because it may not be over: a backtest never
 * sees a higher candle before it closed.
 */
export function resampleCandles(candles: readonly Candle[], source: Timeframe, target: Timeframe): Candle[] {
  if (source === target) return [...candles];
  const r = new CandleResampler(source, target);
  const out: Candle[] = [];
  for (const c of candles) out.push(...r.push(c));
  return out;
}
