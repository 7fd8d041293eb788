import type { Market } from '@kairos/core';

/**
 * The account and execution settings a sweep simulates: the same knobs as the Engine's
 * simulated exchange plus `FixedFractionSizing`.
 */
export interface SweepFillConfig {
  readonly initialCash: number;
  /** Share of equity put into each entry, (0, 1]. */
  readonly fraction: number;
  /** Cash kept aside when the last of the balance is spent (FixedFractionSizing's feeBuffer). */
  readonly feeBuffer: number;
  readonly slippageBps: number;
  /** Largest share of a candle's volume an order may take; fills beyond it are counted, not split. */
  readonly volumeParticipation: number;
}

/** Default fill settings: those of `KairosConfigSchema` and `FixedFractionSizing`. */
export const DEFAULT_FILL: SweepFillConfig = { initialCash: 10_000, fraction: 0.2, feeBuffer: 0.005, slippageBps: 5, volumeParticipation: 0.1 };

/** One symbol's candles as columns, with its market rules. */
export interface SeriesColumns {
  readonly symbol: string;
  readonly market: Market;
  /** Open times, ms. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly timeframeMs: number;
}
