/** Swing bits of a bar: a swing low, a swing high (a bar may be both). */
export const SWING_LOW = 1;
export const SWING_HIGH = 2;

/**
 * Swing bits of absolute bar `j`, from lows and highs indexed by absolute bar modulo
 * their length (a ring, or whole columns when `j + pivot` is inside them). A bar is a
 * swing low (high) when its low (high) is below (above) the `pivot` bars on each side;
 * ties resolve to the older bar; a bar without `pivot` bars on both sides is none. Only
 * bars at least `pivot` back are classified, so confirming one never needs a future candle.
 */
export function swingBits(lows: Float64Array, highs: Float64Array, j: number, pivot: number): number {
  if (j - pivot < 0) return 0;
  const span = lows.length;
  const lo = lows[j % span] as number;
  const hi = highs[j % span] as number;
  let low = Number.isFinite(lo);
  let high = Number.isFinite(hi);
  for (let k = 1; k <= pivot && (low || high); k++) {
    const nl = lows[(j + k) % span] as number;
    const ol = lows[(j - k) % span] as number;
    const nh = highs[(j + k) % span] as number;
    const oh = highs[(j - k) % span] as number;
    if (low && !(Number.isFinite(nl) && Number.isFinite(ol) && lo <= nl && lo < ol)) low = false;
    if (high && !(Number.isFinite(nh) && Number.isFinite(oh) && hi >= nh && hi > oh)) high = false;
  }
  return (low ? SWING_LOW : 0) | (high ? SWING_HIGH : 0);
}

/** The swing lows and highs of whole columns, as ascending bar indices. */
export interface SwingPoints {
  readonly lows: Int32Array;
  readonly lowCount: number;
  readonly highs: Int32Array;
  readonly highCount: number;
}

/**
 * Every bar of whole columns (bar j at index j) that {@link swingBits} calls a swing
 * low or high, for batch decisions. Prices are nearly always all finite; then the
 * neighbours are compared without branches and the indices written without branches
 * either (a test that stops at the first failing neighbour, or a branch per swing,
 * mispredicts on a large share of bars). Every finiteness test would pass, so the bits
 * are the same as {@link swingBits}'s, which runs instead when a price is not finite.
 *
 * @param scratch the result of an earlier call whose arrays may be reused (and overwritten)
 */
export function swingPoints(lows: Float64Array, highs: Float64Array, pivot: number, scratch?: SwingPoints): SwingPoints {
  const n = lows.length;
  // Reused from the caller's last call when large enough: a backtest runs this once per symbol.
  const lowIdx = scratch && scratch.lows.length > n ? scratch.lows : new Int32Array(n + 1);
  const highIdx = scratch && scratch.highs.length > n ? scratch.highs : new Int32Array(n + 1);
  let lowCount = 0;
  let highCount = 0;
  const finite = allFinite(lows) && allFinite(highs);
  for (let j = pivot; j + pivot < n; j++) {
    let low: number;
    let high: number;
    if (finite) {
      const lo = lows[j] as number;
      const hi = highs[j] as number;
      low = 1;
      high = 1;
      for (let k = 1; k <= pivot; k++) {
        low &= +(lo <= (lows[j + k] as number)) & +(lo < (lows[j - k] as number));
        high &= +(hi >= (highs[j + k] as number)) & +(hi > (highs[j - k] as number));
      }
    } else {
      const bits = swingBits(lows, highs, j, pivot);
      low = bits & SWING_LOW;
      high = (bits & SWING_HIGH) >> 1;
    }
    // Written at the next free slot every bar; counted only when it is a swing.
    lowIdx[lowCount] = j;
    lowCount += low;
    highIdx[highCount] = j;
    highCount += high;
  }
  return { lows: lowIdx, lowCount, highs: highIdx, highCount };
}

function allFinite(xs: Float64Array): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}
