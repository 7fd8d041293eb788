import { IndicatorError } from '../core/indicator-error.js';
import { bucketStart, timeframeMs, type Timeframe } from './timeframe.js';

/** A candle with its open time in ms since epoch (UTC). */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface ResampleOptions {
  /** Target timeframe, e.g. '5m', '1h', '1d'. */
  readonly to: Timeframe;
  /**
   * Timeframe of the input candles. Lets a bucket close as soon as its last
   * sub-candle arrives; without it a bucket closes only when a candle of the
   * next bucket arrives (never early: guessing it from the first gaps could
   * close a bucket before its last candle). `resampleCandles` infers it
   * from the smallest gap in the data when not given.
   */
  readonly from?: Timeframe;
}

/**
 * Streaming resampler: feed lower-timeframe candles in time order, get
 * higher-timeframe candles back only once they are closed — never a
 * candle that still depends on data not seen yet. A bucket closes when its
 * last sub-candle arrives, or, if that one is missing (exchange gap), when
 * a candle of a later bucket arrives.
 */
export class Resampler {
  private readonly tf: number;
  private readonly src: number | undefined;
  private cur: Candle | undefined;
  private lastTime = -Infinity;
  /** State before the last update, for replace(). */
  private prev: { cur: Candle | undefined; lastTime: number } | undefined;

  constructor(options: ResampleOptions) {
    this.tf = timeframeMs(options.to);
    this.src = options.from === undefined ? undefined : timeframeMs(options.from);
    if (this.src !== undefined) {
      if (this.tf % this.src !== 0) {
        throw new IndicatorError('INDICATOR_BAD_PARAM', `timeframe 'to' (${this.tf} ms) is not a multiple of 'from' (${this.src} ms)`, 'to');
      }
    }
  }

  /** The forming (not yet closed) higher-timeframe candle, if any. */
  current(): Readonly<Candle> | undefined {
    return this.cur && { ...this.cur };
  }

  /** Feed the next candle; returns the higher-timeframe candles it closed (0, 1 or 2). */
  update(c: Candle): Candle[] {
    checkCandle(c);
    if (!(c.time > this.lastTime)) {
      throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle time ${c.time} is not after the previous ${this.lastTime}`, 'time');
    }
    this.prev = { cur: this.cur && { ...this.cur }, lastTime: this.lastTime };
    return this.apply(c);
  }

  /** Replace the last fed candle (it was still forming) and return what closes now. */
  replace(c: Candle): Candle[] {
    if (!this.prev) throw new IndicatorError('INDICATOR_BAD_STATE', 'resample: replace() called before any update()');
    checkCandle(c);
    this.cur = this.prev.cur && { ...this.prev.cur };
    this.lastTime = this.prev.lastTime;
    if (!(c.time > this.lastTime)) {
      throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle time ${c.time} is not after the previous ${this.lastTime}`, 'time');
    }
    return this.apply(c);
  }

  private apply(c: Candle): Candle[] {
    const out: Candle[] = [];
    const start = bucketStart(c.time, this.tf);
    if (this.cur && this.cur.time !== start) {
      // A later bucket began: the open one is complete even if a sub-candle was missing.
      out.push(this.cur);
      this.cur = undefined;
    }
    this.lastTime = c.time;
    if (!this.cur) this.cur = { time: start, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    else {
      const b = this.cur;
      if (c.high > b.high) b.high = c.high;
      if (c.low < b.low) b.low = c.low;
      b.close = c.close;
      b.volume += c.volume;
    }
    // Close as soon as the bucket's last sub-candle is in.
    if (this.src !== undefined && c.time + this.src >= start + this.tf) {
      out.push(this.cur);
      this.cur = undefined;
    }
    return out;
  }
}

/**
 * Batch resampling: the closed higher-timeframe candles of `candles`
 * (sorted by time). A trailing bucket whose last sub-candle is missing is
 * still forming and is not returned — the same answer the streaming
 * {@link Resampler} would have given at that point.
 */
export function resampleCandles(candles: readonly Candle[], options: ResampleOptions): Candle[] {
  const from = options.from ?? inferTimeframe(candles);
  const r = new Resampler(from === undefined ? options : { ...options, from });
  const out: Candle[] = [];
  for (const c of candles) for (const done of r.update(c)) out.push(done);
  return out;
}

/** Smallest positive gap between consecutive candle times (the source timeframe), if there are two candles. */
export function inferTimeframe(candles: readonly Candle[]): number | undefined {
  let best = Infinity;
  for (let i = 1; i < Math.min(candles.length, 1000); i++) {
    const d = candles[i]!.time - candles[i - 1]!.time;
    if (d > 0 && d < best) best = d;
  }
  return best === Infinity ? undefined : best;
}

function checkCandle(c: Candle): void {
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    const v = c[k];
    if (!(v > 0 && v < Infinity)) throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle.${k} is ${v}, expected a finite price > 0`, k);
  }
  if (!(c.volume >= 0 && c.volume < Infinity)) throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle.volume is ${c.volume}`, 'volume');
  if (c.high < c.low) throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle.high (${c.high}) is below candle.low (${c.low})`, 'high');
  if (!Number.isFinite(c.time)) throw new IndicatorError('INDICATOR_BAD_INPUT', `resample: candle.time is ${c.time}`, 'time');
}
