import type { Candle, Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import type { IndicatorRequest, MarketView } from '../ports/strategy';
import { CandleSeries } from './candle-series';
import { IndicatorSet } from './indicator-set';

/**
 * Everything known about one symbol: candles and indicators. Shared by every user
 * trading that symbol, so indicator work does not multiply with users.
 */
export class SymbolState {
  readonly series = new CandleSeries();
  readonly indicators: IndicatorSet;
  /** A view that always ends at the latest closed candle. */
  readonly view: MarketView;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    requests: Readonly<Record<string, IndicatorRequest>>,
  ) {
    this.indicators = new IndicatorSet(requests);
    const state = this;
    const tfMs = timeframeMs(timeframe);
    // The view holds no index of its own: it reads "now" from the series, and offsets
    // may only go backwards, so a later bar cannot be addressed.
    this.view = {
      symbol,
      timeframe,
      get length() {
        return state.series.length;
      },
      get time() {
        const n = state.series.length;
        return n === 0 ? 0 : (state.series.time[n - 1] as number) + tfMs;
      },
      candle(offset = 0) {
        if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
        return state.series.at(state.series.length - 1 - offset);
      },
      indicator(key: string, offset = 0) {
        if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
        return state.indicators.valueAt(key, state.series.length - 1 - offset);
      },
    };
  }

  append(c: Candle): void {
    this.series.push(c);
    this.indicators.update(c);
  }
}
