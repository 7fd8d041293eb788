import { z } from 'zod';
import { DescribedSignal, type Signal } from '../domain/signal';
import type { MarketView, SeriesView, Strategy } from '../ports/strategy';
import { PerViewState } from '../engine/per-view-state';
import type { StrategyDefinition } from './strategy-definition';
import { candleField, checkDynamicParams, clamp, dynamicParamsShape, fmt, fmtPrice, volatilityColumns, volatilityIndicators, volatilityRatio, volatilityRatioAt, volatilityWarmup } from './volatility';
import { SeriesSignalList } from './series-signal-list';

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
  /** Volume of the current bar over the average of the previous `volumePeriod` bars. */
  const volumeRatio = (view: MarketView): number => {
    let sum = 0;
    for (let o = 1; o <= params.volumePeriod; o++) sum += candleField(view, 'volume', o);
    return volumeRatioOf(sum / params.volumePeriod, candleField(view, 'volume', 0));
  };
  const widths = new PerViewState<NarrowestWidth>();
  const squeezed = (view: MarketView): boolean => {
    let w = widths.get(view);
    if (!w || !w.follows(view)) {
      w = new NarrowestWidth(params.squeezeLookback);
      widths.set(view, w);
    }
    const n = view.length;
    const narrowest = w.update(n, view.time, (j) => view.indicator('bandwidth', n - 1 - j));
    for (let o = 1; o <= params.squeezeWindow; o++) {
      if (view.indicator('bandwidth', o) <= narrowest * (1 + params.squeezeTolerance)) return true;
    }
    return false;
  };
  /** {@link volumeRatio} and {@link squeezed} at bar `i` of a whole series. */
  const seriesEvidence = (series: SeriesView) => {
    const volume = series.field('volume');
    const bandwidth = series.indicator('bandwidth');
    return {
      volumeRatio(i: number): number {
        const period = params.volumePeriod;
        let sum = 0;
        // Summed newest first, as decide sums them (bars before history add NaN there too).
        if (i >= period) for (let j = i - 1; j >= i - period; j--) sum += volume[j] as number;
        else for (let o = 1; o <= period; o++) sum += i - o >= 0 ? (volume[i - o] as number) : Number.NaN;
        return volumeRatioOf(sum / period, volume[i] as number);
      },
      squeezed(i: number): boolean {
        // Breakouts are rare: a plain scan of the lookback costs less than keeping the
        // queue up to date on every bar, and a minimum is the same whichever way it is found.
        const window = params.squeezeWindow;
        const factor = 1 + params.squeezeTolerance;
        // x·factor rounds monotonically in x: once some width times the factor is under
        // every window bar's, so is the narrowest's, and no window bar can pass.
        let lowest = Number.POSITIVE_INFINITY;
        for (let o = 1; o <= window && i - o >= 0; o++) if ((bandwidth[i - o] as number) < lowest) lowest = bandwidth[i - o] as number;
        let narrowest = Number.POSITIVE_INFINITY;
        for (let j = Math.max(i - params.squeezeLookback, 0); j < i; j++) {
          const w = bandwidth[j] as number;
          if (w < narrowest) {
            narrowest = w;
            if (w * factor < lowest) return false;
          }
        }
        for (let o = 1; o <= window && i - o >= 0; o++) if ((bandwidth[i - o] as number) <= narrowest * factor) return true;
        return false;
      },
    };
  };
  return {
    id: BOLLINGER_ID,
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
      const mid = view.indicator('middle', 0);
      const upper = view.indicator('upper', 0);
      const event = bandEvent(params, v, close, prevClose, mid, upper, view.indicator('middle', 1), view.indicator('upper', 1));
      if (event === NO_EVENT) return null;
      if (event === MIDDLE_EXIT) return middleSignal(view.symbol, view.time, close, mid);
      // A breakdown from at or above the middle band is also a middle-band exit: if the
      // breakdown is not confirmed, the exit still fires.
      const ratio = volumeRatio(view);
      if (!(ratio >= params.volumeFactor)) return event === BREAK_DOWN_EXIT ? middleSignal(view.symbol, view.time, close, mid) : null;
      const squeeze = squeezed(view);
      if (params.requireSqueeze && !squeeze) return event === BREAK_DOWN_EXIT ? middleSignal(view.symbol, view.time, close, mid) : null;
      return breakoutSignal(params, view.symbol, view.time, event === BREAK_UP, v, close, mid, upper, ratio, squeeze);
    },
    decideSeries(series, from) {
      const out = new SeriesSignalList();
      const closes = series.field('close');
      const middle = series.indicator('middle');
      const uppers = series.indicator('upper');
      const vol = volatilityColumns(series, params);
      const evidence = seriesEvidence(series);
      const exitAtMiddle = params.exitAtMiddle;
      for (let i = Math.max(from, 1); i < series.length; i++) {
        const close = closes[i] as number;
        const mid = middle[i] as number;
        const upper = uppers[i] as number;
        // Most bars close inside the band. Without the dynamic mode the band is the
        // indicator's own up to rounding (a few ulps; the margin is far wider), so such a
        // bar can only be a middle-band exit: the full test runs only on the others.
        if (!vol) {
          const margin = 1e-12 * (Math.abs(upper) + Math.abs(mid));
          if (close < upper - margin && close > mid - (upper - mid) + margin && !(exitAtMiddle && close < mid && (closes[i - 1] as number) >= (middle[i - 1] as number))) continue;
        }
        const v = volatilityRatioAt(vol, i);
        const event = bandEvent(params, v, close, closes[i - 1] as number, mid, upper, middle[i - 1] as number, uppers[i - 1] as number);
        if (event === NO_EVENT) continue;
        if (event === MIDDLE_EXIT) {
          out.add(i, middleSignal(series.symbol, series.time(i), close, mid));
          continue;
        }
        // As in decide: an unconfirmed breakdown that is also a middle-band exit is that exit.
        const ratio = evidence.volumeRatio(i);
        if (!(ratio >= params.volumeFactor)) {
          if (event === BREAK_DOWN_EXIT) out.add(i, middleSignal(series.symbol, series.time(i), close, mid));
          continue;
        }
        const squeeze = evidence.squeezed(i);
        if (params.requireSqueeze && !squeeze) {
          if (event === BREAK_DOWN_EXIT) out.add(i, middleSignal(series.symbol, series.time(i), close, mid));
          continue;
        }
        out.add(i, breakoutSignal(params, series.symbol, series.time(i), event === BREAK_UP, v, close, mid, upper, ratio, squeeze));
      }
      return out;
    },
  };
}

const BOLLINGER_ID = 'bollinger-breakout';

/** What {@link bandEvent} found on a bar. */
const NO_EVENT = 0;
const BREAK_UP = 1;
const BREAK_DOWN = 2;
const MIDDLE_EXIT = 3;
/** A break below the lower band from a close at or above the middle band (with `exitAtMiddle`). */
const BREAK_DOWN_EXIT = 4;

/**
 * Whether the close broke out of the band at multiplier `k = stddev·√v` (up or down,
 * having been inside on the previous bar), or fell back under the middle band; decide and
 * decideSeries share it. The middle-band exit is checked on every bar: a breakdown that is
 * also one is {@link BREAK_DOWN_EXIT}, which falls back to the exit when volume (or a
 * required squeeze) does not confirm the breakdown. The band is rebuilt from the
 * indicator's middle and σ = (upper − middle)/stddev: upper = mid + k·σ,
 * lower = mid + (−k)·σ (bit for bit what a signed multiplier gives).
 */
function bandEvent(p: BollingerBreakoutParams, v: number, close: number, prevClose: number, mid: number, upperAtStddev: number, mid1: number, upperAtStddev1: number): number {
  if (!(Number.isFinite(prevClose) && Number.isFinite(v))) return NO_EVENT;
  const k = p.stddev * Math.sqrt(v);
  const sigma = (upperAtStddev - mid) / p.stddev;
  const upper = mid + k * sigma;
  if (!Number.isFinite(upper)) return NO_EVENT;
  const lower = mid + -k * sigma;
  const middleExit = p.exitAtMiddle && close < mid && prevClose >= mid1;
  if (close > upper || close < lower) {
    const s1 = (upperAtStddev1 - mid1) / p.stddev;
    if (close > upper && prevClose <= mid1 + k * s1) return BREAK_UP;
    if (close < lower && prevClose >= mid1 + -k * s1) return middleExit ? BREAK_DOWN_EXIT : BREAK_DOWN;
  }
  return middleExit ? MIDDLE_EXIT : NO_EVENT;
}

/** Current volume over its average; +∞ on a zero average with volume, 0 on none. */
function volumeRatioOf(avg: number, vol: number): number {
  return avg > 0 ? vol / avg : vol > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** The signal of a breakout confirmed by volume (and a squeeze, if required). */
function breakoutSignal(p: BollingerBreakoutParams, symbol: string, time: number, up: boolean, v: number, close: number, mid: number, upperAtStddev: number, ratio: number, squeeze: boolean): Signal {
  const k = p.stddev * Math.sqrt(v);
  const sigma = (upperAtStddev - mid) / p.stddev;
  const upper = mid + k * sigma;
  const lower = mid + -k * sigma;
  const width = upper - mid;
  const excess = up ? (close - upper) / width : (lower - close) / width;
  const strength = clamp(0.5 + excess, 0.1, 1);
  return new DescribedSignal(symbol, time, up ? 'buy' : 'sell', up ? strength : -strength, squeeze ? 0.7 : 0.5, BOLLINGER_ID, breakoutReason, { up, close, band: up ? upper : lower, k, ratio, squeeze });
}

/** The exit signal of a close back under the middle band. */
function middleSignal(symbol: string, time: number, close: number, mid: number): Signal {
  return new DescribedSignal(symbol, time, 'sell', -0.3, 0.4, BOLLINGER_ID, middleReason, { close, mid });
}

// Reasons are written only if someone reads them (most signals are never acted on), from
// the values the signal keeps as its payload.

function breakoutReason(p: { up: boolean; close: number; band: number; k: number; ratio: number; squeeze: boolean }): string {
  return `close ${fmtPrice(p.close)} broke ${p.up ? 'above upper' : 'below lower'} band ${fmtPrice(p.band)} (k=${fmt(p.k)}) on ${fmt(p.ratio)}× volume${p.squeeze ? ' after a squeeze' : ''}`;
}

function middleReason(p: { close: number; mid: number }): string {
  return `close ${fmtPrice(p.close)} fell back under the middle band ${fmtPrice(p.mid)}`;
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

  /**
   * Narrowest width of the bars `1 … lookback` back from the current one, the bar
   * `n − 1` (closing at `time`); `widthOf(j)` is the width of bar `j`, only asked for
   * bars before the current one.
   */
  update(n: number, time: number, widthOf: (j: number) => number): number {
    const cap = this.lookback;
    const first = n - 1 - cap;
    for (let j = Math.max(this.next, first, 0); j <= n - 2; j++) {
      this.dropBefore(j - cap + 1);
      const w = widthOf(j);
      if (Number.isNaN(w)) continue;
      // A newer bar at least as narrow makes older wider ones irrelevant.
      while (this.size > 0 && (this.widths[this.slot(this.size - 1)] as number) >= w) this.size -= 1;
      const slot = this.slot(this.size);
      this.bars[slot] = j;
      this.widths[slot] = w;
      this.size += 1;
    }
    this.next = Math.max(this.next, n - 1);
    this.dropBefore(first);
    this.length = n;
    this.time = time;
    return this.size > 0 ? (this.widths[this.head] as number) : Number.POSITIVE_INFINITY;
  }

  /** Ring slot of the `k`-th candidate (k < lookback), without a division. */
  private slot(k: number): number {
    const s = this.head + k;
    return s >= this.lookback ? s - this.lookback : s;
  }

  private dropBefore(bar: number): void {
    while (this.size > 0 && (this.bars[this.head] as number) < bar) {
      this.head = this.head + 1 === this.lookback ? 0 : this.head + 1;
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
