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

/**
 * Whether bar `j` of a whole column (bar j at index j, `pivot` bars on each side inside
 * it) is a swing low (`low`) or a swing high: the same bit {@link swingBits} gives it,
 * for a caller that classifies only the few bars that can matter.
 */
export function isSwing(prices: Float64Array, j: number, pivot: number, low: boolean): boolean {
  const p = prices[j] as number;
  if (!Number.isFinite(p)) return false;
  for (let k = 1; k <= pivot; k++) {
    const next = prices[j + k] as number;
    const prev = prices[j - k] as number;
    if (!(Number.isFinite(next) && Number.isFinite(prev))) return false;
    if (low ? !(p <= next && p < prev) : !(p >= next && p > prev)) return false;
  }
  return true;
}
