import { Resampler, bucketStart as bucketOf } from '@kairos/indicators-gpu';
import type { Candle, Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';

/** Open time of the higher-timeframe bucket holding `time` (UTC-aligned; weeks open on Mondays). */
export function bucketStart(time: number, tf: Timeframe): number {
  return bucketOf(time, timeframeMs(tf));
}

/**
 * Streams closed lower-timeframe candles into closed higher-timeframe ones, without
 * lookahead: a higher candle is emitted only once it has closed. The folding rules live
 * in `@kairos/indicators-gpu`'s `Resampler`; this adds the strategy-config error.
 */
export class CandleResampler {
  private readonly resampler: Resampler;

  constructor(
    base: Timeframe,
    readonly timeframe: Timeframe,
  ) {
    const baseMs = timeframeMs(base);
    const htfMs = timeframeMs(timeframe);
    if (htfMs <= baseMs || htfMs % baseMs !== 0) {
      throw new ConfigError('timeframes', `${timeframe} is not a multiple of the strategy timeframe ${base}`);
    }
    this.resampler = new Resampler({ from: base, to: timeframe });
  }

  /** Takes the next closed base candle; returns the higher candles that closed with it (0–2). */
  push(c: Candle): Candle[] {
    return this.resampler.update({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
  }
}
