import { IndicatorError } from '../core/indicator-error.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** Unix time 0 was a Thursday; weekly candles start on Monday 00:00 UTC, 4 days later. */
const WEEK_OFFSET = 4 * 86_400_000;

/** A timeframe such as '1m', '5m', '1h', '4h', '1d', '1w', or a length in ms. */
export type Timeframe = string | number;

/** Timeframe length in ms ('15m' -> 900000). */
export function timeframeMs(tf: Timeframe): number {
  if (typeof tf === 'number') {
    if (Number.isInteger(tf) && tf > 0) return tf;
  } else {
    const m = /^(\d+)([smhdw])$/.exec(tf.trim());
    if (m) {
      const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
      if (ms > 0) return ms;
    }
  }
  throw new IndicatorError('INDICATOR_BAD_PARAM', `timeframe '${tf}' is not like '5m', '1h', '1d', '1w' or a positive ms count`, 'timeframe');
}

/** Open time (UTC-aligned) of the bucket of length `ms` containing `time`. */
export function bucketStart(time: number, ms: number): number {
  const offset = ms % UNIT_MS.w === 0 ? WEEK_OFFSET : 0;
  return Math.floor((time - offset) / ms) * ms + offset;
}
