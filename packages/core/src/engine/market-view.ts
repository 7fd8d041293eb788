import type { Candle, Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';
import type { CandleField, MarketView } from '../ports/strategy';
import type { CandleSeries } from './candle-series';
import type { IndicatorRef, IndicatorSet } from './indicator-set';

/** What a view needs to answer: the symbol's candles and indicators, and its local names. */
export interface MarketViewSource {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly series: CandleSeries;
  readonly indicators: IndicatorSet;
  /** Local indicator name → shared column. */
  readonly refs: ReadonlyMap<string, IndicatorRef>;
  /** Higher-timeframe views by local name; undefined until their first candle closes. */
  readonly higher?: (name: string) => MarketView | undefined;
}

/**
 * Builds a read-only view that always ends at the latest appended candle. The view holds
 * no index of its own: "now" is the series length, and offsets may only go backwards, so
 * a later bar cannot be addressed even when the columns behind it already hold values
 * (as they do after a batch preload).
 */
export function createMarketView(src: MarketViewSource): MarketView {
  const { series, indicators, refs, symbol, timeframe } = src;
  const tfMs = timeframeMs(timeframe);
  const known = () => [...refs.keys()].join(', ');
  // A strategy reads a handful of indicators several times per candle: a short key scan
  // (interned strings compare by identity) is cheaper than hashing into the map.
  const keys = [...refs.keys()];
  const refList = [...refs.values()];
  const lookup = (key: string): IndicatorRef | undefined => {
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return refList[i];
    return undefined;
  };
  const view: MarketView = {
    symbol,
    timeframe,
    get length() {
      return series.length;
    },
    get time() {
      const n = series.length;
      return n === 0 ? 0 : (series.time[n - 1] as number) + tfMs;
    },
    candle(offset = 0): Candle | undefined {
      if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
      return series.at(series.length - 1 - offset);
    },
    field(name: CandleField, offset = 0): number {
      if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
      const i = series.length - 1 - offset;
      return i >= 0 ? (series[name][i] as number) : Number.NaN;
    },
    indicator(key: string, offset = 0): number {
      if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
      const ref = keys.length <= 8 ? lookup(key) : refs.get(key);
      if (!ref) throw new ConfigError('indicator', `no indicator '${key}' declared; declared: ${known()}`);
      return indicators.read(ref, series.length - 1 - offset);
    },
  };
  const higher = src.higher;
  if (higher) {
    return Object.freeze(
      Object.defineProperties(view, {
        higher: { value: (name: string) => higher(name), enumerable: true },
      }),
    );
  }
  return Object.freeze(view);
}
