import { getIndicator, type Indicator, type SeriesInputs, type StreamingIndicator } from '@kairos/indicators-gpu';
import type { Candle } from '../domain/candle';
import { ConfigError } from '../errors/kairos-error';
import type { IndicatorRequest } from '../ports/strategy';
import type { CandleSeries } from './candle-series';
import { outputWriter, type OutputWriter } from './output-writer';

/** The error for reading an indicator name nobody declared, listing the declared ones. */
export function undeclaredIndicator(key: string, declared: Iterable<string>): ConfigError {
  return new ConfigError('indicator', `no indicator '${key}' declared; declared: ${[...declared].join(', ')}`);
}

/** One indicator with one parameter set: computed once per symbol, whoever asks for it. */
export interface IndicatorUnit {
  readonly id: string;
  readonly indicator: Indicator;
  readonly params: Record<string, unknown>;
  readonly outputs: readonly string[];
  /** Copies a streaming result into `columns` (see `outputWriter`). */
  readonly write: OutputWriter;
  /** One column per output, indexed like the candle series. */
  columns: Float64Array[];
  /** Created on first streaming update; catches up on history when created late. */
  stream: StreamingIndicator | undefined;
}

/** Where a strategy's local indicator name points: a unit and one of its outputs. */
export interface IndicatorRef {
  readonly unit: IndicatorUnit;
  readonly output: number;
}

/** Canonical id of an indicator with its (defaulted) params, e.g. `ema{"period":20}`. */
export function indicatorUnitId(name: string, params: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(params).sort();
  return `${name}${JSON.stringify(Object.fromEntries(keys.map((k) => [k, params[k]])))}`;
}

/**
 * The indicators of one symbol, shared by every strategy that trades it: two strategies
 * asking for EMA(20) get the same column. Values are filled either one closed candle
 * at a time through the streaming kernels (live, O(1) each), or all at once through the
 * batch kernels when the future candles are known in advance (backtest, see
 * {@link IndicatorSet.preload}); both run the same kernels. Reading is by absolute index;
 * the views built on top only ever expose indices up to "now".
 */
export class IndicatorSet {
  private readonly units = new Map<string, IndicatorUnit>();
  /** The same units in declaration order, for the per-candle loop (no map iterator). */
  private readonly unitList: IndicatorUnit[] = [];
  private readonly refs = new Map<string, IndicatorRef>();
  private n = 0;
  /** Candles whose values the last batch preload already holds (with their times). */
  private preloadTimes: Float64Array | undefined;
  private preloadCloses: Float64Array | undefined;
  private preloadInputs: SeriesInputs | undefined;
  private cap: number;

  /**
   * @param requests indicators to declare right away, by local name (more via {@link add})
   * @param history the candles this set follows, needed to catch up indicators added late
   */
  constructor(
    requests: Readonly<Record<string, IndicatorRequest>> = {},
    private readonly history?: CandleSeries,
    capacity = 1024,
  ) {
    this.cap = Math.max(16, capacity);
    this.add(requests);
  }

  /** Number of candles seen. */
  get length(): number {
    return this.n;
  }

  /** True once any value came from the streaming kernels (no usable batch preload). */
  get streaming(): boolean {
    for (const u of this.units.values()) if (u.stream) return true;
    return false;
  }

  /** Number of distinct indicator computations (after sharing). */
  get unitCount(): number {
    return this.units.size;
  }

  /**
   * Declares indicators (deduplicated by indicator + params) and returns each local
   * name's reference. Bad names, params or outputs fail with a `ConfigError` naming the key.
   */
  add(requests: Readonly<Record<string, IndicatorRequest>>, prefix = 'indicators'): Map<string, IndicatorRef> {
    const out = new Map<string, IndicatorRef>();
    for (const [key, req] of Object.entries(requests)) {
      let indicator: Indicator;
      let params: Record<string, unknown>;
      try {
        indicator = getIndicator(req.indicator);
        params = indicator.parseParams(req.params as never) as Record<string, unknown>;
      } catch (err) {
        throw new ConfigError(`${prefix}.${key}`, (err as Error).message);
      }
      const output = req.output ?? indicator.spec.outputs[0];
      const outIndex = output === undefined ? -1 : indicator.spec.outputs.indexOf(output);
      if (outIndex < 0) {
        throw new ConfigError(`${prefix}.${key}.output`, `unknown output '${String(output)}' of ${req.indicator}; allowed: ${indicator.spec.outputs.join(', ')}`);
      }
      const id = indicatorUnitId(indicator.spec.name, params);
      let unit = this.units.get(id);
      if (!unit) {
        unit = { id, indicator, params, outputs: indicator.spec.outputs, write: outputWriter(indicator.spec.outputs), columns: indicator.spec.outputs.map(() => nanColumn(this.cap)), stream: undefined };
        this.units.set(id, unit);
        this.unitList.push(unit);
        if (this.n > 0 || this.preloadTimes) this.catchUp(unit);
      }
      const ref = { unit, output: outIndex };
      out.set(key, ref);
      if (!this.refs.has(key)) this.refs.set(key, ref);
    }
    return out;
  }

  /**
   * Computes every indicator in batch over candles that are about to be appended (the
   * whole replay of a backtest). Later `update` calls with the same candles only move
   * the cursor; a candle that differs drops the rest of the preload and switches to the
   * streaming kernels, caught up on the history so far. Preloaded values are never
   * readable before their candle is appended.
   */
  preload(candles: readonly Candle[]): void {
    // A symbol already part-way through streams keeps streaming: batch values for the
    // future would need the past, which only the streams hold, so only a fresh set preloads.
    if (this.n > 0 || candles.length === 0) return;
    this.ensure(candles.length);
    const { inputs, time } = columnsOf(candles);
    for (const unit of this.units.values()) {
      if (!this.batchInto(unit, inputs)) return;
    }
    this.preloadInputs = inputs;
    this.preloadTimes = time;
    this.preloadCloses = inputs.close as Float64Array;
  }

  /** Feeds the next closed candle to every indicator (or takes its preloaded values). */
  update(c: Candle): void {
    const i = this.n;
    this.ensure(i + 1);
    const pt = this.preloadTimes;
    if (pt !== undefined && !(i < pt.length && pt[i] === c.time && (this.preloadCloses as Float64Array)[i] === c.close)) {
      this.dropPreload();
    }
    if (this.preloadTimes === undefined) {
      const units = this.unitList;
      for (let u = 0; u < units.length; u++) {
        const unit = units[u] as IndicatorUnit;
        if (!unit.stream) this.startStream(unit, i);
        unit.write((unit.stream as StreamingIndicator).update(c), unit.columns, i);
      }
    }
    this.n += 1;
  }

  /** Reference of a local name declared through the constructor or `add` (first wins). */
  ref(key: string): IndicatorRef {
    const r = this.refs.get(key);
    if (!r) throw undeclaredIndicator(key, this.refs.keys());
    return r;
  }

  /** Value of `key` at absolute index `i`; NaN when out of range or warming up. */
  valueAt(key: string, i: number): number {
    return this.read(this.ref(key), i);
  }

  /** Value of a reference at absolute index `i`; NaN outside the candles seen so far. */
  read(ref: IndicatorRef, i: number): number {
    if (i < 0 || i >= this.n) return Number.NaN;
    return (ref.unit.columns[ref.output] as Float64Array)[i] as number;
  }

  private catchUp(unit: IndicatorUnit): void {
    // In a preloaded run the new unit is computed in batch over the same candles.
    if (this.preloadInputs && this.batchInto(unit, this.preloadInputs)) return;
    this.dropPreload();
    this.startStream(unit, this.n);
  }

  private dropPreload(): void {
    this.preloadTimes = undefined;
    this.preloadCloses = undefined;
    this.preloadInputs = undefined;
  }

  /** Creates the stream and replays the first `upTo` candles of history into it. */
  private startStream(unit: IndicatorUnit, upTo: number): void {
    const stream = unit.indicator.stream(unit.params as never);
    unit.stream = stream;
    if (upTo === 0) return;
    if (!this.history || this.history.length < upTo) {
      throw new ConfigError(`indicators.${unit.id}`, 'added after candles were seen, without the history to catch up on');
    }
    // Catches up through the kernels' own streaming path: identical to live updates.
    const h = this.history;
    for (let i = 0; i < upTo; i++) {
      const res = stream.update({ open: h.open[i] as number, high: h.high[i] as number, low: h.low[i] as number, close: h.close[i] as number, volume: h.volume[i] as number });
      unit.write(res, unit.columns, i);
    }
  }

  private batchInto(unit: IndicatorUnit, inputs: SeriesInputs): boolean {
    let res: Record<string, Float64Array>;
    try {
      res = unit.indicator.batch(inputs, unit.params as never);
    } catch {
      // Input the batch validator refuses (e.g. a zero price) streams instead.
      return false;
    }
    for (let k = 0; k < unit.outputs.length; k++) {
      const src = res[unit.outputs[k] as string];
      if (src) (unit.columns[k] as Float64Array).set(src, 0);
    }
    return true;
  }

  private ensure(size: number): void {
    if (size <= this.cap) return;
    let cap = this.cap;
    while (cap < size) cap *= 2;
    this.cap = cap;
    for (const unit of this.units.values()) {
      unit.columns = unit.columns.map((col) => {
        const grown = nanColumn(cap);
        grown.set(col);
        return grown;
      });
    }
  }
}

function nanColumn(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** The candles as input columns, and their open times (one pass: a backtest preloads every run). */
function columnsOf(candles: readonly Candle[]): { inputs: SeriesInputs; time: Float64Array } {
  const n = candles.length;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = candles[i] as Candle;
    time[i] = c.time;
    open[i] = c.open;
    high[i] = c.high;
    low[i] = c.low;
    close[i] = c.close;
    volume[i] = c.volume;
  }
  return { inputs: { open, high, low, close, volume }, time };
}
