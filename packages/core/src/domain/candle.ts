/**
 * A closed OHLCV candle. `time` is the candle's OPEN time in ms since the epoch (UTC);
 * `volume` is in the base asset.
 */
export interface Candle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A candle tagged with the market it belongs to, as feeds deliver them. */
export interface MarketCandle {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candle: Candle;
}

/** Candle widths Kairos understands. */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Width of a timeframe in milliseconds. */
export function timeframeMs(tf: Timeframe): number {
  const unit = tf[tf.length - 1] as keyof typeof UNIT_MS;
  return Number(tf.slice(0, -1)) * UNIT_MS[unit];
}

/** Type guard for timeframe strings coming from config or the CLI. */
export function isTimeframe(value: string): value is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(value);
}
