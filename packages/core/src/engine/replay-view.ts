import { type Candle, type Timeframe, timeframeMs } from '../domain/candle';
import type { CandleField, MarketView, SeriesView } from '../ports/strategy';

/**
 * A {@link MarketView} over a {@link SeriesView} whose current bar is a cursor: it runs a
 * strategy's `decide` bar by bar over columns that are already complete (the fallback
 * for strategies without `decideSeries`). Offsets only go back from the cursor, so, as
 * with the engine's views, no later bar can be reached.
 */
export class ReplayView implements MarketView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly #series: SeriesView;
  readonly #columns = new Map<string, Float64Array>();
  readonly #fields: Readonly<Record<CandleField, Float64Array>>;
  readonly #tfMs: number;
  #at = -1;

  constructor(series: SeriesView) {
    this.symbol = series.symbol;
    this.timeframe = series.timeframe;
    this.#series = series;
    this.#tfMs = timeframeMs(series.timeframe);
    this.#fields = {
      open: series.field('open'),
      high: series.field('high'),
      low: series.field('low'),
      close: series.field('close'),
      volume: series.field('volume'),
    };
  }

  /** Makes bar `i` (0 ≤ i < series length) the current one. */
  moveTo(i: number): this {
    if (!(i >= 0 && i < this.#series.length)) throw new RangeError(`bar ${i} is outside 0…${this.#series.length - 1}`);
    this.#at = i;
    return this;
  }

  get length(): number {
    return this.#at + 1;
  }

  get time(): number {
    return this.#at < 0 ? 0 : this.#series.time(this.#at);
  }

  candle(offset = 0): Candle | undefined {
    const i = this.#index(offset);
    if (i < 0) return undefined;
    const f = this.#fields;
    // Candles carry their open time; integer milliseconds make the subtraction exact.
    return { time: this.#series.time(i) - this.#tfMs, open: f.open[i] as number, high: f.high[i] as number, low: f.low[i] as number, close: f.close[i] as number, volume: f.volume[i] as number };
  }

  field(name: CandleField, offset = 0): number {
    const i = this.#index(offset);
    return i < 0 ? Number.NaN : (this.#fields[name][i] as number);
  }

  indicator(key: string, offset = 0): number {
    let column = this.#columns.get(key);
    if (column === undefined) {
      column = this.#series.indicator(key);
      this.#columns.set(key, column);
    }
    const i = this.#index(offset);
    return i < 0 ? Number.NaN : (column[i] as number);
  }

  #index(offset: number): number {
    if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
    return this.#at - offset;
  }
}
