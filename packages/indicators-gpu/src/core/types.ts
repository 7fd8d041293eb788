import type { z } from 'zod';

/**
 * Named input series an indicator can read. The first five are the candle
 * fields; `benchmark` is the second series of two-series indicators
 * (rolling correlation, beta): e.g. ETH close as `close` and BTC close as
 * `benchmark`.
 */
export type InputName = 'open' | 'high' | 'low' | 'close' | 'volume' | 'benchmark';

/** Column-oriented input series; every provided array must have the same length. */
export type SeriesInputs = Partial<Record<InputName, Float64Array>>;

/** One closed (or still-forming) candle fed to a streaming indicator. */
export interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Only read by two-series indicators (correlation, beta). */
  benchmark?: number;
}

/** Values a parameter may take. */
export type ParamValue = number | string | boolean;
export type ParamRecord = Record<string, ParamValue>;

/** The static description of one indicator: what it reads, its parameters and what it writes. */
export interface IndicatorSpec<P extends ParamRecord = ParamRecord> {
  /** Lower-case id, e.g. 'ema', 'bbands', 'macd'. */
  readonly name: string;
  /** Human title, e.g. 'Exponential Moving Average'. */
  readonly title: string;
  readonly inputs: readonly InputName[];
  /** zod object schema with defaults and .min/.max ranges. */
  readonly params: z.ZodType<P>;
  /** Output names, e.g. ['value'] or ['macd', 'signal', 'histogram']. */
  readonly outputs: readonly string[];
  /** Number of leading outputs that are NaN (index of the first valid value). */
  warmup(params: P): number;
}

/** O(1) incremental form of an indicator (one instance per series). */
export interface StreamingIndicator {
  /** Feed the next closed bar; returns outputs for it (NaN during warm-up). O(1). */
  update(bar: Bar): Readonly<Record<string, number>>;
  /** Replace the last fed bar (still-forming candle) and return recomputed outputs. O(1). */
  replace(bar: Bar): Readonly<Record<string, number>>;
  /** Bars fed so far. */
  readonly count: number;
}

/** The streams this package creates also take a backfill in one call. */
export interface BatchableStream extends StreamingIndicator {
  /**
   * Feed many bars at once (backfill); same result as calling update() for
   * each, at batch speed. Returns the outputs for these bars only;
   * replace() afterwards replaces the last of them.
   */
  updateBatch(inputs: SeriesInputs): Record<string, Float64Array>;
}

/** An indicator: the spec plus batch, streaming and (via the multi-series module) many-series paths. */
export interface Indicator<P extends ParamRecord = ParamRecord> {
  readonly spec: IndicatorSpec<P>;
  /** Validate + default params (throws IndicatorError naming the param). */
  parseParams(params?: Partial<P>): P;
  /**
   * Whole series; allocates the outputs. Throws IndicatorError on bad input
   * (NaN/Infinity, length mismatch, high<low, non-positive price).
   */
  batch(inputs: SeriesInputs, params?: Partial<P>): Record<string, Float64Array>;
  /** Same but into caller-owned output buffers (no allocation). */
  batchInto(inputs: SeriesInputs, params: P, out: Record<string, Float64Array>): void;
  stream(params?: Partial<P>): StreamingIndicator;
}
