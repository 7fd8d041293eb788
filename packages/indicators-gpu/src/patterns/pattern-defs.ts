/**
 * Candlestick pattern rules. Each reads columns o/h/l/c at bar i (and the
 * bars before it) and returns +1 (bullish), -1 (bearish) or 0. Crypto
 * trades 24/7, so a candle opens at the previous close: rules that classic
 * equity texts state with an opening gap (piercing line, dark cloud cover,
 * stars) only require the open to be at or beyond the previous close.
 * Trend context (for hammer vs hanging man, tweezers) is the close change
 * over the TREND bars before the pattern starts.
 */

/** Bars of history before a pattern used for its trend context. */
export const TREND = 5;

export interface PatternDef {
  readonly name: string;
  readonly title: string;
  /** Candles the pattern spans (1-3). */
  readonly bars: number;
  /** Whether it needs the trend context (then TREND more bars of history). */
  readonly trend: boolean;
  detect(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, i: number): number;
}

const body = (o: Float64Array, c: Float64Array, i: number) => Math.abs(c[i]! - o[i]!);
const range = (h: Float64Array, l: Float64Array, i: number) => h[i]! - l[i]!;
const upper = (o: Float64Array, h: Float64Array, c: Float64Array, i: number) => h[i]! - Math.max(o[i]!, c[i]!);
const lower = (o: Float64Array, l: Float64Array, c: Float64Array, i: number) => Math.min(o[i]!, c[i]!) - l[i]!;
const bull = (o: Float64Array, c: Float64Array, i: number) => c[i]! > o[i]!;
const bear = (o: Float64Array, c: Float64Array, i: number) => c[i]! < o[i]!;
/** +1 rising, -1 falling, 0 flat: close change over TREND bars ending at bar j. */
const trendAt = (c: Float64Array, j: number) => Math.sign(c[j]! - c[j - TREND]!);

function hammerShape(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, i: number): boolean {
  const b = body(o, c, i);
  const r = range(h, l, i);
  return r > 0 && b > 0 && lower(o, l, c, i) >= 2 * b && upper(o, h, c, i) <= 0.1 * r;
}
function invertedShape(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, i: number): boolean {
  const b = body(o, c, i);
  const r = range(h, l, i);
  return r > 0 && b > 0 && upper(o, h, c, i) >= 2 * b && lower(o, l, c, i) <= 0.1 * r;
}
function star(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, i: number, dir: 1 | -1): boolean {
  const a = i - 2;
  const m = i - 1;
  const b1 = body(o, c, a);
  const first = dir === 1 ? bear(o, c, a) : bull(o, c, a);
  const last = dir === 1 ? bull(o, c, i) : bear(o, c, i);
  const mid1 = (o[a]! + c[a]!) / 2;
  return (
    first && b1 >= 0.5 * range(h, l, a) && body(o, c, m) <= 0.3 * b1 && last && (dir === 1 ? c[i]! > mid1 : c[i]! < mid1)
  );
}
function soldiers(o: Float64Array, c: Float64Array, h: Float64Array, l: Float64Array, i: number, dir: 1 | -1): boolean {
  for (let k = i - 2; k <= i; k++) {
    const b = body(o, c, k);
    if (!(dir === 1 ? bull(o, c, k) : bear(o, c, k)) || b < 0.5 * range(h, l, k)) return false;
    // Little shadow beyond the close: the move held to the end of each bar.
    if ((dir === 1 ? upper(o, h, c, k) : lower(o, l, c, k)) > 0.3 * b) return false;
    if (k > i - 2) {
      const inPrev = dir === 1 ? o[k]! >= o[k - 1]! && o[k]! <= c[k - 1]! : o[k]! <= o[k - 1]! && o[k]! >= c[k - 1]!;
      if (!inPrev || (dir === 1 ? c[k]! <= c[k - 1]! : c[k]! >= c[k - 1]!)) return false;
    }
  }
  return true;
}

export const PATTERNS: readonly PatternDef[] = Object.freeze([
  {
    name: 'doji',
    title: 'Doji',
    bars: 1,
    trend: false,
    detect: (o, h, l, c, i) => (range(h, l, i) > 0 && body(o, c, i) <= 0.1 * range(h, l, i) ? 1 : 0),
  },
  {
    name: 'spinning_top',
    title: 'Spinning Top',
    bars: 1,
    trend: false,
    detect(o, h, l, c, i) {
      const b = body(o, c, i);
      const r = range(h, l, i);
      return r > 0 && b > 0.1 * r && b <= 0.3 * r && upper(o, h, c, i) >= b && lower(o, l, c, i) >= b ? 1 : 0;
    },
  },
  {
    name: 'marubozu',
    title: 'Marubozu',
    bars: 1,
    trend: false,
    detect: (o, h, l, c, i) => (range(h, l, i) > 0 && body(o, c, i) >= 0.95 * range(h, l, i) ? Math.sign(c[i]! - o[i]!) : 0),
  },
  {
    name: 'hammer',
    title: 'Hammer',
    bars: 1,
    trend: true,
    detect: (o, h, l, c, i) => (trendAt(c, i - 1) < 0 && hammerShape(o, h, l, c, i) ? 1 : 0),
  },
  {
    name: 'hanging_man',
    title: 'Hanging Man',
    bars: 1,
    trend: true,
    detect: (o, h, l, c, i) => (trendAt(c, i - 1) > 0 && hammerShape(o, h, l, c, i) ? -1 : 0),
  },
  {
    name: 'inverted_hammer',
    title: 'Inverted Hammer',
    bars: 1,
    trend: true,
    detect: (o, h, l, c, i) => (trendAt(c, i - 1) < 0 && invertedShape(o, h, l, c, i) ? 1 : 0),
  },
  {
    name: 'shooting_star',
    title: 'Shooting Star',
    bars: 1,
    trend: true,
    detect: (o, h, l, c, i) => (trendAt(c, i - 1) > 0 && invertedShape(o, h, l, c, i) ? -1 : 0),
  },
  {
    name: 'engulfing',
    title: 'Engulfing (bullish +1 / bearish -1)',
    bars: 2,
    trend: false,
    detect(o, _h, _l, c, i) {
      const j = i - 1;
      if (body(o, c, i) <= body(o, c, j)) return 0;
      if (bear(o, c, j) && bull(o, c, i) && o[i]! <= c[j]! && c[i]! >= o[j]!) return 1;
      if (bull(o, c, j) && bear(o, c, i) && o[i]! >= c[j]! && c[i]! <= o[j]!) return -1;
      return 0;
    },
  },
  {
    name: 'harami',
    title: 'Harami (bullish +1 / bearish -1)',
    bars: 2,
    trend: false,
    detect(o, h, l, c, i) {
      const j = i - 1;
      if (body(o, c, j) < 0.5 * range(h, l, j) || body(o, c, i) >= 0.5 * body(o, c, j)) return 0;
      const top = Math.max(o[j]!, c[j]!);
      const bot = Math.min(o[j]!, c[j]!);
      const inside = Math.max(o[i]!, c[i]!) <= top && Math.min(o[i]!, c[i]!) >= bot;
      if (!inside) return 0;
      if (bear(o, c, j) && bull(o, c, i)) return 1;
      if (bull(o, c, j) && bear(o, c, i)) return -1;
      return 0;
    },
  },
  {
    name: 'piercing_line',
    title: 'Piercing Line',
    bars: 2,
    trend: false,
    detect(o, h, l, c, i) {
      const j = i - 1;
      const mid = (o[j]! + c[j]!) / 2;
      return bear(o, c, j) && body(o, c, j) >= 0.5 * range(h, l, j) && bull(o, c, i) && o[i]! <= c[j]! && c[i]! > mid && c[i]! < o[j]! ? 1 : 0;
    },
  },
  {
    name: 'dark_cloud_cover',
    title: 'Dark Cloud Cover',
    bars: 2,
    trend: false,
    detect(o, h, l, c, i) {
      const j = i - 1;
      const mid = (o[j]! + c[j]!) / 2;
      return bull(o, c, j) && body(o, c, j) >= 0.5 * range(h, l, j) && bear(o, c, i) && o[i]! >= c[j]! && c[i]! < mid && c[i]! > o[j]! ? -1 : 0;
    },
  },
  { name: 'morning_star', title: 'Morning Star', bars: 3, trend: false, detect: (o, h, l, c, i) => (star(o, h, l, c, i, 1) ? 1 : 0) },
  { name: 'evening_star', title: 'Evening Star', bars: 3, trend: false, detect: (o, h, l, c, i) => (star(o, h, l, c, i, -1) ? -1 : 0) },
  {
    name: 'three_white_soldiers',
    title: 'Three White Soldiers',
    bars: 3,
    trend: false,
    detect: (o, h, l, c, i) => (soldiers(o, c, h, l, i, 1) ? 1 : 0),
  },
  {
    name: 'three_black_crows',
    title: 'Three Black Crows',
    bars: 3,
    trend: false,
    detect: (o, h, l, c, i) => (soldiers(o, c, h, l, i, -1) ? -1 : 0),
  },
  {
    name: 'tweezer_top',
    title: 'Tweezer Top',
    bars: 2,
    trend: true,
    detect(o, h, l, c, i) {
      const j = i - 1;
      const tol = 0.05 * Math.max(range(h, l, i), range(h, l, j));
      return trendAt(c, j - 1) > 0 && bull(o, c, j) && bear(o, c, i) && tol > 0 && Math.abs(h[i]! - h[j]!) <= tol ? -1 : 0;
    },
  },
  {
    name: 'tweezer_bottom',
    title: 'Tweezer Bottom',
    bars: 2,
    trend: true,
    detect(o, h, l, c, i) {
      const j = i - 1;
      const tol = 0.05 * Math.max(range(h, l, i), range(h, l, j));
      return trendAt(c, j - 1) < 0 && bear(o, c, j) && bull(o, c, i) && tol > 0 && Math.abs(l[i]! - l[j]!) <= tol ? 1 : 0;
    },
  },
]);

/** Bars of history a pattern needs before it can fire (its first index): its own bars, plus the bar ending the trend and TREND before that. */
export function patternLookback(p: PatternDef): number {
  return p.bars - 1 + (p.trend ? TREND + 1 : 0);
}
