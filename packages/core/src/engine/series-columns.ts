import type { Timeframe } from '../domain/candle';
import type { CandleField, SeriesView } from '../ports/strategy';
import type { CandleSeries } from './candle-series';
import { type IndicatorRef, undeclaredIndicator } from './indicator-set';

/**
 * The engine's {@link SeriesView}: its columns cut at the view's current bar. A class, so
 * that `time(i)`, read on every bar of a batch decision, is one inlinable method.
 */
export class SeriesColumns implements SeriesView {
  readonly length: number;
  readonly #times: Float64Array;
  readonly #series: CandleSeries;
  readonly #tfMs: number;
  readonly #refs: ReadonlyMap<string, IndicatorRef>;

  /**
   * @param series the symbol's candles; the first `length` are the view's
   * @param tfMs the timeframe in ms (a candle closes that long after it opens)
   * @param refs the consumer's indicator names → shared columns
   */
  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    series: CandleSeries,
    length: number,
    tfMs: number,
    refs: ReadonlyMap<string, IndicatorRef>,
  ) {
    this.length = length;
    this.#series = series;
    this.#times = series.time.subarray(0, length);
    this.#tfMs = tfMs;
    this.#refs = refs;
  }

  time(i: number): number {
    return (this.#times[i] as number) + this.#tfMs;
  }

  field(name: CandleField): Float64Array {
    return this.#series[name].subarray(0, this.length);
  }

  indicator(key: string): Float64Array {
    const ref = this.#refs.get(key);
    if (!ref) throw undeclaredIndicator(key, this.#refs.keys());
    return (ref.unit.columns[ref.output] as Float64Array).subarray(0, this.length);
  }
}
