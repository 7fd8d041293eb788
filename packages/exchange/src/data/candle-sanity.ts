import { type Candle, ConfigError } from '@kairos/core';

/**
 * Bounds a candle must stay within to be traded on, beyond the structural rules of
 * `candleProblem`. Loaded candles feed order prices and sizes directly, so one absurd
 * value (a `1e300` close, a decimal point lost in a 100x jump) would otherwise be traded
 * on, or silently stop trading, for the rest of a run.
 */
export interface CandleSanityOptions {
  /**
   * Largest allowed ratio between any two of: the previous candle's close, this candle's
   * high and its low. Default {@link DEFAULT_MAX_JUMP}. Must be greater than 1.
   */
  readonly maxJump?: number;
  /** Skip the jump check: set it to load a series whose jumps are known to be real. */
  readonly acceptJumps?: boolean;
  /** Lowest allowed price. Default {@link DEFAULT_CANDLE_BOUNDS}.minPrice. */
  readonly minPrice?: number;
  /** Highest allowed price. Default {@link DEFAULT_CANDLE_BOUNDS}.maxPrice. */
  readonly maxPrice?: number;
  /** Highest allowed volume (base asset). Default {@link DEFAULT_CANDLE_BOUNDS}.maxVolume. */
  readonly maxVolume?: number;
}

/** Default jump factor: the largest move against the previous close in the bundled data is 1.7x; 100x is a broken file. */
export const DEFAULT_MAX_JUMP = 100;

/**
 * Default absolute bounds. Real spot prices span about 1e-9 (meme coins quoted in BTC)
 * to 1e10 (BTC in weak fiat); the margins around that keep price × volume far from
 * float64 overflow while leaving real data alone.
 */
export const DEFAULT_CANDLE_BOUNDS = { minPrice: 1e-12, maxPrice: 1e12, maxVolume: 1e18 } as const;

/** Open times before this are refused: no crypto venue published candles before 2009. */
export const MIN_CANDLE_TIME = Date.UTC(2009, 0, 1);
/** Open times from this on are refused: they are typos (seconds as ms × 1000), not data. */
export const MAX_CANDLE_TIME = Date.UTC(2100, 0, 1);

/** Options with defaults filled in and checked. */
export type ResolvedCandleSanity = Required<CandleSanityOptions>;

/** Fills in defaults and checks the options; a bad option is a `ConfigError` naming it. */
export function resolveCandleSanity(options: CandleSanityOptions = {}): ResolvedCandleSanity {
  const r: ResolvedCandleSanity = {
    maxJump: options.maxJump ?? DEFAULT_MAX_JUMP,
    acceptJumps: options.acceptJumps ?? false,
    minPrice: options.minPrice ?? DEFAULT_CANDLE_BOUNDS.minPrice,
    maxPrice: options.maxPrice ?? DEFAULT_CANDLE_BOUNDS.maxPrice,
    maxVolume: options.maxVolume ?? DEFAULT_CANDLE_BOUNDS.maxVolume,
  };
  // `!(x > y)` also catches NaN.
  if (!(r.maxJump > 1)) throw new ConfigError('maxJump', `must be a factor greater than 1, got ${r.maxJump}`);
  if (!(r.minPrice > 0 && Number.isFinite(r.minPrice))) throw new ConfigError('minPrice', `must be a positive finite price, got ${r.minPrice}`);
  if (!(r.maxPrice > r.minPrice && Number.isFinite(r.maxPrice))) throw new ConfigError('maxPrice', `must be finite and above minPrice ${r.minPrice}, got ${r.maxPrice}`);
  if (!(r.maxVolume >= 0 && Number.isFinite(r.maxVolume))) throw new ConfigError('maxVolume', `must be a finite volume >= 0, got ${r.maxVolume}`);
  return r;
}

/**
 * What is out of bounds in `c`, or undefined. Assumes `c` already passed `candleProblem`
 * (finite, positive, `low ≤ open, close ≤ high`), so checking the low and the high bounds
 * every price.
 *
 * @param prev - the candle before it in the same series, if any; the jump is measured
 *   against its close
 */
export function candleSanityProblem(c: Candle, prev: Candle | undefined, s: ResolvedCandleSanity): string | undefined {
  if (c.time < MIN_CANDLE_TIME) return `open time ${c.time} is before 2009-01-01`;
  if (c.time >= MAX_CANDLE_TIME) return `open time ${c.time} is not before 2100-01-01`;
  if (c.low < s.minPrice) return `low ${c.low} is below the minimum price ${s.minPrice} (out of bounds)`;
  if (c.high > s.maxPrice) return `high ${c.high} is above the maximum price ${s.maxPrice} (out of bounds)`;
  if (c.volume > s.maxVolume) return `volume ${c.volume} is above the maximum ${s.maxVolume} (out of bounds)`;
  if (s.acceptJumps) return undefined;
  const how = `limit ${s.maxJump}x; accept it with --max-jump N|off on the CLI, maxJump or acceptJumps in the API`;
  if (prev !== undefined) {
    if (c.high / prev.close > s.maxJump) return `high ${c.high} is ${ratio(c.high / prev.close)}x the previous close ${prev.close} (${how})`;
    if (prev.close / c.low > s.maxJump) return `low ${c.low} is 1/${ratio(prev.close / c.low)} of the previous close ${prev.close} (${how})`;
  }
  if (c.high / c.low > s.maxJump) return `high ${c.high} is ${ratio(c.high / c.low)}x the low ${c.low} (${how})`;
  return undefined;
}

/** A ratio for a message: 3 significant digits, never an endless float. */
function ratio(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
