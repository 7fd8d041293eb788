import type { Candle, Timeframe } from '../domain/candle';
import type { IndicatorRequest, MarketView, TimeframeInput } from '../ports/strategy';
import { CandleResampler } from './candle-resampler';
import { CandleSeries } from './candle-series';
import { IndicatorSet } from './indicator-set';
import { createMarketView } from './market-view';

/** What a view is built for: a strategy, a predictor, or anything declaring inputs. */
export interface ViewRequest {
  readonly indicators: Readonly<Record<string, IndicatorRequest>>;
  readonly timeframes?: Readonly<Record<string, TimeframeInput>>;
}

export interface SymbolStateOptions {
  /** Higher-timeframe inputs of the constructor's `view`. */
  readonly timeframes?: Readonly<Record<string, TimeframeInput>>;
  /**
   * The candles about to be appended, when known in advance (a backtest): indicators
   * are then computed once in batch; appending still reveals them one candle at a time.
   */
  readonly preload?: readonly Candle[];
}

interface Higher {
  readonly resampler: CandleResampler;
  readonly state: SymbolState;
}

/**
 * Everything known about one symbol: candles, indicators and resampled higher
 * timeframes. Shared by every user and strategy trading that symbol, so indicator work
 * does not multiply with users: each strategy gets its own view (its own local names)
 * onto shared columns.
 */
export class SymbolState {
  readonly series: CandleSeries;
  readonly indicators: IndicatorSet;
  /** A view for the constructor's requests, always ending at the latest closed candle. */
  readonly view: MarketView;
  private readonly higher = new Map<Timeframe, Higher>();

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    requests: Readonly<Record<string, IndicatorRequest>> = {},
    options: SymbolStateOptions = {},
  ) {
    // Sized for the preloaded candles, when known, so a backtest never regrows its columns.
    const capacity = Math.max(1024, options.preload?.length ?? 0);
    this.series = new CandleSeries(capacity);
    this.indicators = new IndicatorSet({}, this.series, capacity);
    if (options.preload) this.indicators.preload(options.preload);
    this.view = this.viewFor({ indicators: requests, ...(options.timeframes ? { timeframes: options.timeframes } : {}) });
  }

  /**
   * Registers a consumer's indicators (shared with identical requests already present)
   * and returns its view. May be called after candles were seen: new indicators catch up.
   */
  viewFor(request: ViewRequest): MarketView {
    const refs = this.indicators.add(request.indicators);
    const tfs = request.timeframes;
    if (!tfs || Object.keys(tfs).length === 0) {
      return createMarketView({ symbol: this.symbol, timeframe: this.timeframe, series: this.series, indicators: this.indicators, refs });
    }
    const views = new Map<string, { state: SymbolState; view: MarketView }>();
    for (const [name, input] of Object.entries(tfs)) {
      const h = this.higherFor(input.timeframe);
      views.set(name, { state: h.state, view: h.state.viewFor({ indicators: input.indicators }) });
    }
    return createMarketView({
      symbol: this.symbol,
      timeframe: this.timeframe,
      series: this.series,
      indicators: this.indicators,
      refs,
      higher: (name) => {
        const v = views.get(name);
        return v && v.state.series.length > 0 ? v.view : undefined;
      },
    });
  }

  /** Appends the next closed candle; higher timeframes see it only when their candle closes. */
  append(c: Candle): void {
    this.series.push(c);
    this.indicators.update(c);
    if (this.higher.size === 0) return;
    for (const h of this.higher.values()) {
      for (const hc of h.resampler.push(c)) h.state.append(hc);
    }
  }

  private higherFor(tf: Timeframe): Higher {
    let h = this.higher.get(tf);
    if (!h) {
      const resampler = new CandleResampler(this.timeframe, tf);
      // Higher candles are few; they stream in both modes, from the candles seen so far.
      const state = new SymbolState(this.symbol, tf);
      for (let i = 0; i < this.series.length; i++) {
        for (const hc of resampler.push(this.series.at(i) as Candle)) state.append(hc);
      }
      h = { resampler, state };
      this.higher.set(tf, h);
    }
    return h;
  }
}
