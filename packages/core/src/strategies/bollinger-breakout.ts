import { z } from 'zod';
import { DescribedSignal } from '../domain/signal';
import type { MarketView, Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';
import { candleField, checkDynamicParams, clamp, dynamicParamsShape, fmt, fmtPrice, volatilityIndicators, volatilityRatio, volatilityWarmup } from './volatility';

export const BollingerBreakoutParams = z
  .object({
    period: z.number().int().min(2).max(500).default(20).describe('Bollinger period'),
    stddev: z.number().gt(0).max(10).default(2).describe('band width in standard deviations'),
    volumePeriod: z.number().int().min(1).max(500).default(20).describe('bars in the volume average'),
    volumeFactor: z.number().min(0).max(20).default(1.5).describe('breakout volume over its average'),
    squeezeLookback: z.number().int().min(5).max(1000).default(120).describe('bars over which the narrowest band width is taken'),
    squeezeWindow: z.number().int().min(1).max(200).default(10).describe('bars before a breakout in which a squeeze counts'),
    squeezeTolerance: z.number().min(0).max(5).default(0.1).describe('how close (fraction) to the narrowest width is a squeeze'),
    requireSqueeze: z.boolean().default(false).describe('only trade breakouts out of a squeeze'),
    exitAtMiddle: z.boolean().default(true).describe('sell when the close falls back under the middle band'),
    ...dynamicParamsShape,
  })
  .superRefine((p, ctx) => {
    if (p.squeezeWindow >= p.squeezeLookback) ctx.addIssue({ code: 'custom', path: ['squeezeWindow'], message: `squeezeWindow (${p.squeezeWindow}) must be smaller than squeezeLookback (${p.squeezeLookback})` });
    checkDynamicParams(p, ctx);
  });

export type BollingerBreakoutParams = z.infer<typeof BollingerBreakoutParams>;

/**
 * Bollinger Bands breakout: buy when the close breaks above the upper band on volume
 * at least `volumeFactor` times the average of the previous `volumePeriod` bars; sell on
 * the mirror break below the lower band (and, with `exitAtMiddle`, when the close falls
 * back under the middle band). Only the bar that crosses the band fires.
 *
 * Squeeze: the band width (`(upper − lower)/middle`) came within `squeezeTolerance` of its
 * narrowest value over `squeezeLookback` bars, at some bar of the last `squeezeWindow`.
 * A breakout out of a squeeze has higher confidence; `requireSqueeze` keeps only those.
 *
 * Dynamic mode: the band multiplier becomes `stddev·√v` (v = volatility ratio), so wild
 * markets need a bigger move to count as a breakout. The band is rebuilt from the
 * indicator's own σ = (upper − middle)/stddev, so no extra indicator is computed.
 */
export function createBollingerBreakout(params: BollingerBreakoutParams): Strategy {
  const id = 'bollinger-breakout';
  /** The previous bar's band at multiplier `side·k` (side −1 lower, 1 upper). */
  const prevBand = (view: MarketView, k: number, side: 1 | -1): number => {
    const m = view.indicator('middle', 1);
    return m + side * k * ((view.indicator('upper', 1) - m) / params.stddev);
  };
  /** Volume of the current bar over the average of the previous `volumePeriod` bars. */
  const volumeRatio = (view: MarketView): number => {
    let sum = 0;
    for (let o = 1; o <= params.volumePeriod; o++) sum += candleField(view, 'volume', o);
    const avg = sum / params.volumePeriod;
    const vol = candleField(view, 'volume', 0);
    return avg > 0 ? vol / avg : vol > 0 ? Number.POSITIVE_INFINITY : 0;
  };
  const widths = new WeakMap<MarketView, NarrowestWidth>();
  const squeezed = (view: MarketView): boolean => {
    let w = widths.get(view);
    if (!w || !w.follows(view)) {
      w = new NarrowestWidth(params.squeezeLookback);
      widths.set(view, w);
    }
    const narrowest = w.update(view);
    for (let o = 1; o <= params.squeezeWindow; o++) {
      if (view.indicator('bandwidth', o) <= narrowest * (1 + params.squeezeTolerance)) return true;
    }
    return false;
  };
  return {
    id,
    warmup: Math.max(params.period + params.squeezeLookback, params.volumePeriod + 1, volatilityWarmup(params)),
    indicators: {
      middle: { indicator: 'bbands', params: { period: params.period, stddev: params.stddev }, output: 'middle' },
      upper: { indicator: 'bbands', params: { period: params.period, stddev: params.stddev }, output: 'upper' },
      bandwidth: { indicator: 'bbands', params: { period: params.period, stddev: params.stddev }, output: 'bandwidth' },
      ...volatilityIndicators(params),
    },
    decide(view) {
      const v = volatilityRatio(view, params);
      const close = candleField(view, 'close', 0);
      const prevClose = candleField(view, 'close', 1);
      if (!(Number.isFinite(prevClose) && Number.isFinite(v))) return null;
      const k = params.stddev * Math.sqrt(v);
      // The band at multiplier k, rebuilt from the indicator's middle and σ = (upper − middle)/stddev:
      // upper = mid + k·σ, lower = mid + (−k)·σ (bit for bit what a signed multiplier gives).
      const mid = view.indicator('middle', 0);
      const sigma = (view.indicator('upper', 0) - mid) / params.stddev;
      const upper = mid + k * sigma;
      if (!Number.isFinite(upper)) return null;
      const lower = mid + -k * sigma;
      // The previous bar's band is read only when this bar is past one: most bars are not.
      const up = close > upper && prevClose <= prevBand(view, k, 1);
      const down = !up && close < lower && prevClose >= prevBand(view, k, -1);
      if (up || down) {
        const ratio = volumeRatio(view);
        if (!(ratio >= params.volumeFactor)) return null;
        const squeeze = squeezed(view);
        if (params.requireSqueeze && !squeeze) return null;
        const width = upper - mid;
        const excess = up ? (close - upper) / width : (lower - close) / width;
        const strength = clamp(0.5 + excess, 0.1, 1);
        return new DescribedSignal(view.symbol, view.time, up ? 'buy' : 'sell', up ? strength : -strength, squeeze ? 0.7 : 0.5, id, breakoutReason(up, close, up ? upper : lower, k, ratio, squeeze));
      }
      if (params.exitAtMiddle && close < mid && prevClose >= view.indicator('middle', 1)) {
        return new DescribedSignal(view.symbol, view.time, 'sell', -0.3, 0.4, id, middleReason(close, mid));
      }
      return null;
    },
  };
}

// Reasons are written only if someone reads them (most signals are never acted on), and
// built outside `decide`, so that `decide` captures nothing and allocates nothing on the
// bars where no signal fires.

function breakoutReason(up: boolean, close: number, band: number, k: number, ratio: number, squeeze: boolean): () => string {
  return () => `close ${fmtPrice(close)} broke ${up ? 'above upper' : 'below lower'} band ${fmtPrice(band)} (k=${fmt(k)}) on ${fmt(ratio)}× volume${squeeze ? ' after a squeeze' : ''}`;
}

function middleReason(close: number, mid: number): () => string {
  return () => `close ${fmtPrice(close)} fell back under the middle band ${fmtPrice(mid)}`;
}

/**
 * The narrowest band width over the `lookback` bars before the current one (NaN bars
 * skipped; +∞ when there are none), kept per view as a monotonic queue of candidates so
 * that each bar's width is read once, not `lookback` times per breakout. Closed bars'
 * values never change, and a view only grows; one that shrinks or rewinds starts afresh.
 */
class NarrowestWidth {
  /** Absolute bar and width of each candidate, oldest first, in a ring of `lookback` slots. */
  private readonly bars: Float64Array;
  private readonly widths: Float64Array;
  private head = 0;
  private size = 0;
  /** First absolute bar not yet offered to the queue. */
  private next = 0;
  private length = 0;
  private time = Number.NaN;

  constructor(private readonly lookback: number) {
    this.bars = new Float64Array(lookback);
    this.widths = new Float64Array(lookback);
  }

  /** Whether `view` is the one this queue followed so far (the same bars, grown or not). */
  follows(view: MarketView): boolean {
    const n = view.length;
    const time = view.time;
    return !(n < this.length || (n === this.length && time !== this.time) || (n > this.length && time <= this.time));
  }

  /** Narrowest width of the bars `1 … lookback` back from the view's current one. */
  update(view: MarketView): number {
    const n = view.length;
    const cap = this.lookback;
    const first = n - 1 - cap;
    for (let j = Math.max(this.next, first, 0); j <= n - 2; j++) {
      this.dropBefore(j - cap + 1);
      const w = view.indicator('bandwidth', n - 1 - j);
      if (Number.isNaN(w)) continue;
      // A newer bar at least as narrow makes older wider ones irrelevant.
      while (this.size > 0 && (this.widths[(this.head + this.size - 1) % cap] as number) >= w) this.size -= 1;
      const slot = (this.head + this.size) % cap;
      this.bars[slot] = j;
      this.widths[slot] = w;
      this.size += 1;
    }
    this.next = Math.max(this.next, n - 1);
    this.dropBefore(first);
    this.length = n;
    this.time = view.time;
    return this.size > 0 ? (this.widths[this.head] as number) : Number.POSITIVE_INFINITY;
  }

  private dropBefore(bar: number): void {
    while (this.size > 0 && (this.bars[this.head] as number) < bar) {
      this.head = (this.head + 1) % this.lookback;
      this.size -= 1;
    }
  }
}

export const bollingerBreakoutDefinition: StrategyDefinition<typeof BollingerBreakoutParams> = {
  id: 'bollinger-breakout',
  description: 'Bollinger Bands breakout with volume confirmation and squeeze detection',
  params: BollingerBreakoutParams,
  create: createBollingerBreakout,
};
