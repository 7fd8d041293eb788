import type { Timeframe } from '@kairos/core';
import type { CandleGap } from '../data/candle-file';

/** One month file of a series as the manifest lists it. */
export interface ManifestFile {
  readonly name: string;
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

/**
 * `manifest.json` of a stored series. It is derived only from the month files (no
 * wall-clock time), so two stores holding the same candles have identical manifests,
 * and it can always be rebuilt from the files.
 */
export interface SeriesManifest {
  readonly format: 'kairos-candles/1';
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly count: number;
  /** Open time of the first and last stored candle (ms); absent when empty. */
  readonly first?: number;
  readonly last?: number;
  readonly files: readonly ManifestFile[];
  /** Runs of missing candles between the first and the last stored candle. */
  readonly gaps: readonly CandleGap[];
  /** Total candles missing inside the stored range. */
  readonly missing: number;
}

/** Gaps in a sorted list of open times. */
export function findGaps(times: ArrayLike<number>, stepMs: number): CandleGap[] {
  const gaps: CandleGap[] = [];
  for (let i = 1; i < times.length; i++) {
    const prev = times[i - 1] as number;
    const cur = times[i] as number;
    if (cur - prev > stepMs) gaps.push({ from: prev, to: cur, missing: (cur - prev) / stepMs - 1 });
  }
  return gaps;
}
