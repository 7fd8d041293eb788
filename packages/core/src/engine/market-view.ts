import type { Candle, Timeframe } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import type { CandleField, MarketView, SeriesView } from '../ports/strategy';
import type { CandleSeries } from './candle-series';
import { type IndicatorRef, type IndicatorSet, type IndicatorUnit, undeclaredIndicator } from './indicator-set';
import { SeriesColumns } from './series-columns';

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
 * The view a consumer sees when its indicators were declared as `<prefix><name>` (a
 * composite's child): it reads `name` where the given view reads `<prefix><name>`, and
 * `higher(name)` likewise. For an engine view this is a view of its own over the same
 * columns, as fast as the one the consumer would get alone (no name translation per
 * read); any other view gives undefined, and the caller wraps it instead.
 *
 * @param names the consumer's local indicator names (the keys of its declaration)
 */
export function scopedMarketView(view: MarketView, prefix: string, names: readonly string[]): MarketView | undefined {
  return view instanceof EngineMarketView ? view.scoped(prefix, names) : undefined;
}

/**
 * The whole history behind an engine view as columns, cut at its current bar (for
 * `Strategy.decideSeries`); undefined for any other view.
 */
export function seriesViewOf(view: MarketView): SeriesView | undefined {
  return view instanceof EngineMarketView ? view.columns() : undefined;
}

/**
 * The state `owner` keeps in an engine view (see `PerViewState`); undefined when it
 * keeps none there, and for any other view.
 */
export function heldViewState(view: MarketView, owner: object): unknown {
  return view instanceof EngineMarketView ? view.heldStateOf(owner) : undefined;
}

/**
 * Keeps `owner`'s state in an engine view; false for any other view, and for one that
 * already keeps as many consumers' states as it takes.
 */
export function holdViewState(view: MarketView, owner: object, state: unknown): boolean {
  return view instanceof EngineMarketView && view.holdState(owner, state);
}

/**
 * Builds a read-only view that always ends at the latest appended candle. The view holds
 * no index of its own: "now" is the series length, and offsets may only go backwards, so
 * a later bar cannot be addressed even when the columns behind it already hold values
 * (as they do after a batch preload).
 */
export function createMarketView(src: MarketViewSource): MarketView {
  return new EngineMarketView(src);
}

/** Views with more names than this find them through a map instead of a scan. */
const MAX_SLOTS = 16;
/** Consumers whose state a view keeps in itself; more go to their own maps. */
const MAX_STATES = 8;

/**
 * The engine's view. A class, so that every view shares one shape and strategies' reads
 * stay monomorphic and inlinable (an object literal with getters is a slow dictionary
 * object, and each one has its own closures): a strategy reads a handful of values on
 * every candle of every symbol.
 */
class EngineMarketView implements MarketView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly higher: ((name: string) => MarketView | undefined) | undefined;
  readonly #src: MarketViewSource;
  readonly #series: CandleSeries;
  readonly #indicators: IndicatorSet;
  readonly #tfMs: number;
  readonly #keys: readonly string[];
  /**
   * `[key, unit, output, key, unit, output, …]`: a strategy reads a handful of indicators
   * several times per candle, and a short scan of one array (interned strings compare by
   * identity) is cheaper than hashing into the map and touches less memory than a chain
   * of reference objects, which counts when hundreds of symbols take turns (live).
   */
  readonly #slots: readonly (string | IndicatorUnit | number)[];
  /**
   * Consumers' states (see `PerViewState`): the first one's in fields of the view itself
   * (one load away from an object a decision touches anyway: with hundreds of symbols
   * taking turns, every further hop is a cache miss in a chain), the next ones in a list
   * `[owner, state, …]`. Private fields stay writable in a frozen object.
   */
  #owner: object | undefined = undefined;
  #state: unknown = undefined;
  #more: unknown[] | undefined = undefined;

  constructor(src: MarketViewSource) {
    this.symbol = src.symbol;
    this.timeframe = src.timeframe;
    const higher = src.higher;
    this.higher = higher ? (name: string) => higher(name) : undefined;
    this.#src = src;
    this.#series = src.series;
    this.#indicators = src.indicators;
    this.#tfMs = timeframeMs(src.timeframe);
    this.#keys = [...src.refs.keys()];
    this.#slots = this.#keys.length > MAX_SLOTS ? [] : [...src.refs].flatMap(([key, ref]) => [key, ref.unit, ref.output]);
    Object.freeze(this);
  }

  get length(): number {
    return this.#series.length;
  }

  get time(): number {
    const n = this.#series.length;
    return n === 0 ? 0 : (this.#series.time[n - 1] as number) + this.#tfMs;
  }

  candle(offset = 0): Candle | undefined {
    if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
    return this.#series.at(this.#series.length - 1 - offset);
  }

  field(name: CandleField, offset = 0): number {
    if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
    const s = this.#series;
    const i = s.length - 1 - offset;
    if (i < 0) return Number.NaN;
    // A property load by a variable name is a slow keyed lookup; naming each column is not.
    const column = name === 'close' ? s.close : name === 'low' ? s.low : name === 'high' ? s.high : name === 'volume' ? s.volume : name === 'open' ? s.open : s[name];
    return column[i] as number;
  }

  indicator(key: string, offset = 0): number {
    if (!(offset >= 0)) throw new RangeError(`offset must be >= 0 (the past), got ${offset}`);
    const slots = this.#slots;
    if (slots.length === 0) return this.#read(key, this.#src.refs.get(key), offset);
    for (let k = 0; k < slots.length; k += 3) {
      if (slots[k] !== key) continue;
      // What `IndicatorSet.read` does, without a reference object in between.
      const i = this.#series.length - 1 - offset;
      if (i < 0 || i >= this.#indicators.length) return Number.NaN;
      return ((slots[k + 1] as IndicatorUnit).columns[slots[k + 2] as number] as Float64Array)[i] as number;
    }
    return this.#read(key, undefined, offset);
  }

  /** See {@link heldViewState}. */
  heldStateOf(owner: object): unknown {
    if (this.#owner === owner) return this.#state;
    const more = this.#more;
    if (more) for (let k = 0; k < more.length; k += 2) if (more[k] === owner) return more[k + 1];
    return undefined;
  }

  /** See {@link holdViewState}. */
  holdState(owner: object, state: unknown): boolean {
    if (this.#owner === undefined || this.#owner === owner) {
      this.#owner = owner;
      this.#state = state;
      return true;
    }
    const more = (this.#more ??= []);
    for (let k = 0; k < more.length; k += 2) {
      if (more[k] !== owner) continue;
      more[k + 1] = state;
      return true;
    }
    if (more.length >= 2 * (MAX_STATES - 1)) return false;
    more.push(owner, state);
    return true;
  }

  /** See {@link scopedMarketView}. */
  scoped(prefix: string, names: readonly string[]): MarketView {
    const refs = new Map<string, IndicatorRef>();
    for (const name of names) {
      const ref = this.#src.refs.get(prefix + name);
      if (ref) refs.set(name, ref);
    }
    const higher = this.#src.higher;
    return new EngineMarketView({ ...this.#src, refs, ...(higher ? { higher: (name: string) => higher(prefix + name) } : {}) });
  }

  /** See {@link seriesViewOf}. */
  columns(): SeriesView {
    const n = this.#series.length;
    if (this.#indicators.length !== n) throw new RangeError(`indicators hold ${this.#indicators.length} bars, candles ${n}`);
    return new SeriesColumns(this.symbol, this.timeframe, this.#series, n, this.#tfMs, this.#src.refs);
  }

  /** Reads through the map (views with many names) or fails for an undeclared name. */
  #read(key: string, ref: IndicatorRef | undefined, offset: number): number {
    if (!ref) throw undeclaredIndicator(key, this.#keys);
    return this.#indicators.read(ref, this.#series.length - 1 - offset);
  }
}
