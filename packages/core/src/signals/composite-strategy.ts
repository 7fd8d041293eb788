import type { Timeframe } from '../domain/candle';
import type { Signal } from '../domain/signal';
import { scopedMarketView } from '../engine/market-view';
import { PerViewState } from '../engine/per-view-state';
import { SafeStrategy } from '../engine/safe-strategy';
import { ConfigError } from '../errors/kairos-error';
import { SeriesSignalList } from '../strategies/series-signal-list';
import { NullLogger } from '../log/loggers';
import type { Logger } from '../ports/logger';
import type { CandleField, IndicatorRequest, MarketView, SeriesSignals, SeriesView, Strategy, TimeframeInput } from '../ports/strategy';
import type { AggregateDecision, SignalAggregator, SymbolVotes } from './signal-aggregator';

export interface CompositeStrategyOptions {
  /** Where contained child failures are logged. */
  readonly logger?: Logger;
  /** Called for each contained child failure (e.g. to emit `strategy.error`). */
  readonly onFailure?: (strategyId: string, symbol: string, error: string, count: number) => void;
  /** Called with every bar's aggregate decision, with each source's contribution. */
  readonly onDecision?: (decision: AggregateDecision) => void;
}

/** A {@link Strategy} that runs several strategies and votes through a {@link SignalAggregator}. */
export interface CompositeStrategy extends Strategy {
  readonly children: readonly Strategy[];
  /** Contained failures of all children so far. */
  readonly errorCount: number;
  /** The latest aggregate decision for a symbol. */
  lastDecision(symbol: string): AggregateDecision | undefined;
}

/**
 * Runs several strategies as one: each child reads its own indicator names (the
 * composite's view itself when the children's names agree, else a view of its own onto
 * names declared as `<index>.<name>`; either way an indicator asked for twice is
 * computed once per symbol), runs inside its own safe wrapper, and only once its own
 * warm-up is reached. Their signals go to the aggregator, whose signal is returned.
 * The composite's warm-up is the shortest child's: the others abstain until ready.
 */
export function createCompositeStrategy(children: readonly Strategy[], aggregator: SignalAggregator, options: CompositeStrategyOptions = {}): CompositeStrategy {
  if (children.length === 0) throw new ConfigError('strategy', 'a composite needs at least one strategy');
  const ids = children.map((c) => c.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError('strategy', `'${dup}' is listed twice`);
  const logger = options.logger ?? new NullLogger();
  const safe = children.map((c) => new SafeStrategy(c, logger, (symbol, error, count) => options.onFailure?.(c.id, symbol, error, count)));
  // Children whose names agree share the composite's view; otherwise each reads its own
  // names through a view of its own, declared as `<index>.<name>`.
  const shared = sharedIndicators(children);
  const indicators: Record<string, IndicatorRequest> = shared ?? {};
  const timeframes: Record<string, TimeframeInput> = {};
  if (!shared) {
    children.forEach((c, i) => {
      for (const [k, req] of Object.entries(c.indicators)) indicators[`${i}.${k}`] = req;
      for (const [k, tf] of Object.entries(c.timeframes ?? {})) timeframes[`${i}.${k}`] = tf;
    });
  }
  // Per view: the symbol's votes, asked for first so that an engine view keeps them in
  // itself (see PerViewState), and the children's views unless they share this one.
  const votesPerView = new PerViewState<SymbolVotes>();
  const viewsPerView = new PerViewState<readonly MarketView[]>();
  const votesOf = (view: MarketView): SymbolVotes => {
    let votes = votesPerView.get(view);
    if (!votes || votes.forgotten) {
      votes = aggregator.votesOf(view.symbol);
      votesPerView.set(view, votes);
    }
    return votes;
  };
  const childViewsOf = (view: MarketView): readonly MarketView[] => {
    let views = viewsPerView.get(view);
    if (!views) {
      views = children.map((c, i) => scopedMarketView(view, `${i}.`, Object.keys(c.indicators)) ?? prefixedView(view, `${i}.`));
      viewsPerView.set(view, views);
    }
    return views;
  };
  const warmups = children.map((c) => c.warmup);
  const onDecision = options.onDecision;
  return {
    id: ids.join('+'),
    warmup: Math.min(...children.map((c) => c.warmup)),
    indicators,
    ...(Object.keys(timeframes).length > 0 ? { timeframes } : {}),
    children,
    get errorCount() {
      return safe.reduce((a, s) => a + s.errorCount, 0);
    },
    lastDecision: (symbol) => aggregator.lastDecision(symbol),
    decide(view) {
      const votes = votesOf(view);
      const views = shared ? undefined : childViewsOf(view);
      const n = view.length;
      // Most bars no child speaks: the array is made only for the first signal.
      let signals: Signal[] | undefined;
      for (let i = 0; i < children.length; i++) {
        if (n < (warmups[i] as number)) continue;
        const s = (safe[i] as SafeStrategy).decide(views ? (views[i] as MarketView) : view);
        if (!s) continue;
        if (signals) signals.push(s);
        else signals = [s];
      }
      // The full report (every source's part) is built only for a listener, or on request.
      if (!onDecision) return aggregator.voteIn(votes, view.time, signals ?? NO_SIGNALS);
      const decision = aggregator.combine(view.symbol, view.time, signals ?? NO_SIGNALS);
      onDecision(decision);
      return decision.signal;
    },
    decideSeries(series, from) {
      // Each child decides over the whole series (bar by bar through decide if it has no
      // batch form), from its own warm-up on; then the votes go in bar by bar, as decide does.
      const start = Math.max(from, 0);
      const lists = safe.map((s, i) => s.decideSeries(shared ? series : new PrefixedSeries(series, `${i}.`), Math.max(start, (warmups[i] as number) - 1)));
      if (!onDecision) return aggregator.voteSeries(aggregator.votesOf(series.symbol), series, lists, start, series.length);
      // A listener hears every bar's decision: vote bar by bar, as decide does.
      const out = new SeriesSignalList();
      const cursor = lists.map(() => 0);
      for (let t = start; t < series.length; t++) {
        const signals: Signal[] = [];
        for (let c = 0; c < lists.length; c++) {
          const { bars, signals: theirs } = lists[c] as SeriesSignals;
          let at = cursor[c] as number;
          while (at < bars.length && bars[at] === t) signals.push(theirs[at++] as Signal);
          cursor[c] = at;
        }
        const decision = aggregator.combine(series.symbol, series.time(t), signals);
        onDecision(decision);
        out.add(t, decision.signal);
      }
      return out;
    },
  };
}

/**
 * The children's declarations as one, when they can share a view: no higher timeframes,
 * and a name two children declare asks for the same indicator output. Sharing saves a
 * view per child and symbol, which live decisions feel: hundreds of symbols take turns,
 * and every object a decision touches comes from memory, not cache. A child then also
 * sees its siblings' indicators (reads only); undefined when they cannot share.
 */
function sharedIndicators(children: readonly Strategy[]): Record<string, IndicatorRequest> | undefined {
  const out: Record<string, IndicatorRequest> = {};
  for (const c of children) {
    if (c.timeframes && Object.keys(c.timeframes).length > 0) return undefined;
    for (const [k, req] of Object.entries(c.indicators)) {
      const had = out[k];
      if (had && requestKey(had) !== requestKey(req)) return undefined;
      out[k] = req;
    }
  }
  return out;
}

/** A request as a string: equal strings ask for the same column. */
function requestKey(req: IndicatorRequest): string {
  const params = req.params ?? {};
  const keys = Object.keys(params).sort();
  return JSON.stringify([req.indicator, req.output ?? null, keys.map((k) => [k, params[k]])]);
}

/** The signals of a bar on which no child spoke. */
const NO_SIGNALS: readonly Signal[] = Object.freeze([]);

/** A series whose indicator `name` is the given series' `<prefix><name>`. */
class PrefixedSeries implements SeriesView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly length: number;

  constructor(
    private readonly series: SeriesView,
    private readonly prefix: string,
  ) {
    this.symbol = series.symbol;
    this.timeframe = series.timeframe;
    this.length = series.length;
  }

  time(i: number): number {
    return this.series.time(i);
  }

  field(name: CandleField): Float64Array {
    return this.series.field(name);
  }

  indicator(key: string): Float64Array {
    return this.series.indicator(this.prefix + key);
  }
}

/** A view onto the same data that reads `<prefix><name>` for indicators and timeframes. */
function prefixedView(view: MarketView, prefix: string): MarketView {
  const higher = view.higher;
  const field = view.field;
  // Prefixed names are cached: building a string per indicator read would dominate decide().
  const names = new Map<string, string>();
  const full = (key: string): string => {
    let f = names.get(key);
    if (f === undefined) {
      f = prefix + key;
      names.set(key, f);
    }
    return f;
  };
  return Object.freeze({
    symbol: view.symbol,
    timeframe: view.timeframe,
    get length() {
      return view.length;
    },
    get time() {
      return view.time;
    },
    candle: (offset?: number) => view.candle(offset),
    indicator: (key: string, offset?: number) => view.indicator(full(key), offset),
    ...(field ? { field: (name: CandleField, offset?: number) => field.call(view, name, offset) } : {}),
    ...(higher ? { higher: (name: string) => higher.call(view, full(name)) } : {}),
  });
}
