import { type Candle, ConfigError, type Timeframe, timeframeMs } from '@kairos/core';
import { Resampler, bucketStart as bucketOf, resampleCandles as resample } from '@kairos/indicators-gpu';

/** Open time of the `target` bucket holding the candle that opens at `time` (weeks open on Mondays). */
export function bucketStart(time: number, target: Timeframe): number {
  return bucketOf(time, timeframeMs(target));
}

function checkPair(source: Timeframe, target: Timeframe): void {
  const s = timeframeMs(source);
  const t = timeframeMs(target);
  if (t < s || t % s !== 0) {
    throw new ConfigError('timeframe', `cannot resample ${source} candles into ${target}: the target must be a whole multiple of the source`);
  }
}

/**
 * Folds stored lower-timeframe candles into a higher timeframe without lookahead, one
 * candle at a time. The folding rules live in `@kairos/indicators-gpu`'s `Resampler`;
 * this adds the history store's typed configuration error.
 */
export class CandleResampler {
  private readonly resampler: Resampler;

  constructor(
    readonly source: Timeframe,
    readonly target: Timeframe,
  ) {
    checkPair(source, target);
    this.resampler = new Resampler({ from: source, to: target });
  }

  /** Adds the next closed lower candle and returns the higher candles it closes (0, 1, or 2 after a gap). */
  push(c: Candle): Candle[] {
    return this.resampler.update({ ...c });
  }
}

/** Batch form: the closed `target` candles of `candles`; an unfinished last period is dropped. */
export function resampleCandles(candles: readonly Candle[], source: Timeframe, target: Timeframe): Candle[] {
  checkPair(source, target);
  return resample(candles as Candle[], { from: source, to: target });
}
