import { z } from 'zod';
import { DescribedSignal, type Signal } from '../domain/signal';
import type { IndicatorRequest, Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';
import { checkDynamicParams, clamp, dynamicParamsShape, volatilityColumns, volatilityIndicators, volatilityRatio, volatilityRatioAt, volatilityWarmup } from './volatility';
import { SeriesSignalList } from './series-signal-list';

export const MaCrossParams = z
  .object({
    kind: z.enum(['sma', 'ema']).default('ema').describe('moving average type'),
    fast: z.number().int().min(2).max(500).default(12).describe('fast period'),
    slow: z.number().int().min(3).max(1000).default(26).describe('slow period'),
    ...dynamicParamsShape,
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `fast must be smaller than slow (got fast=${p.fast}, slow=${p.slow})` });
    checkDynamicParams(p, ctx);
  });

export type MaCrossParams = z.infer<typeof MaCrossParams>;

/**
 * Period multipliers of the dynamic mode and the volatility ratio at which each applies:
 * calm markets (v < 0.8) use 0.75× periods to react sooner, wild ones (v > 1.25) 1.5×
 * periods to ride out noise.
 */
export const MA_CROSS_LADDER = [
  { upTo: 0.8, multiplier: 0.75 },
  { upTo: 1.25, multiplier: 1 },
  { upTo: Number.POSITIVE_INFINITY, multiplier: 1.5 },
] as const;

/** Period of a ladder rung, never below 2. */
function scaled(period: number, multiplier: number): number {
  return Math.max(2, Math.round(period * multiplier));
}

/**
 * Moving-average crossover: buy when the fast average crosses above the slow one,
 * sell when it crosses below. Strength grows with the gap between the averages.
 *
 * Dynamic mode (`dynamic: true`): both periods are scaled by the rung of
 * {@link MA_CROSS_LADDER} that the volatility ratio `v` falls in (see `volatilityRatio`);
 * the cross is checked on that rung's pair.
 */
export function createMaCross(params: MaCrossParams): Strategy {
  const id = MA_CROSS_ID;
  const rungs = params.dynamic ? MA_CROSS_LADDER.map((r) => r.multiplier) : [1];
  const indicators: Record<string, IndicatorRequest> = { ...volatilityIndicators(params) };
  const names: Rung[] = rungs.map((m, i) => {
    const fast = scaled(params.fast, m);
    const slow = Math.max(fast + 1, scaled(params.slow, m));
    const fk = i === 0 && !params.dynamic ? 'fast' : `fast${i}`;
    const sk = i === 0 && !params.dynamic ? 'slow' : `slow${i}`;
    indicators[fk] = { indicator: params.kind, params: { period: fast } };
    indicators[sk] = { indicator: params.kind, params: { period: slow } };
    const k = params.kind.toUpperCase();
    // The reasons are fixed per rung: written once here, not on every signal.
    return { fk, sk, above: `${k}(${fast}) crossed above ${k}(${slow})`, below: `${k}(${fast}) crossed below ${k}(${slow})`, slow };
  });
  const longest = Math.max(...names.map((n) => n.slow));
  return {
    id,
    warmup: Math.max(longest + 1, volatilityWarmup(params)),
    indicators,
    decide(view) {
      let rung = 0;
      if (params.dynamic) {
        const v = volatilityRatio(view, params);
        if (!Number.isFinite(v)) return null;
        rung = rungOf(v);
      }
      const n = names[rung] as Rung;
      return crossSignal(view.symbol, view.time, n, view.indicator(n.fk), view.indicator(n.sk), view.indicator(n.fk, 1), view.indicator(n.sk, 1));
    },
    decideSeries(series, from) {
      const out = new SeriesSignalList();
      const vol = volatilityColumns(series, params);
      const cols = names.map((n) => ({ fast: series.indicator(n.fk), slow: series.indicator(n.sk) }));
      for (let i = Math.max(from, 1); i < series.length; i++) {
        let rung = 0;
        if (vol) {
          const v = volatilityRatioAt(vol, i);
          if (!Number.isFinite(v)) continue;
          rung = rungOf(v);
        }
        const c = cols[rung] as (typeof cols)[number];
        const f0 = c.fast[i] as number;
        const s0 = c.slow[i] as number;
        const f1 = c.fast[i - 1] as number;
        const s1 = c.slow[i - 1] as number;
        // Most bars cross nothing: the signal is built only where one does.
        if ((f1 <= s1 && f0 > s0) || (f1 >= s1 && f0 < s0)) out.add(i, crossSignal(series.symbol, series.time(i), names[rung] as Rung, f0, s0, f1, s1));
      }
      return out;
    },
  };
}

/** The moving averages of one ladder rung and the reasons of its crosses. */
interface Rung {
  readonly fk: string;
  readonly sk: string;
  readonly above: string;
  readonly below: string;
  readonly slow: number;
}

/** Index of the ladder rung volatility ratio `v` falls in. */
function rungOf(v: number): number {
  return MA_CROSS_LADDER.findIndex((r) => v < r.upTo);
}

/** The signal of a bar given the averages now (0) and one bar back (1): decide and decideSeries share it. */
function crossSignal(symbol: string, time: number, n: Rung, f0: number, s0: number, f1: number, s1: number): Signal | null {
  if (!(Number.isFinite(f0) && Number.isFinite(s0) && Number.isFinite(f1) && Number.isFinite(s1))) return null;
  // A cross is the event itself, so conviction starts at 0.3 and grows with the gap.
  const strength = clamp(0.3 + Math.abs((f0 - s0) / s0) * 50, 0.3, 1);
  if (f1 <= s1 && f0 > s0) {
    return new DescribedSignal(symbol, time, 'buy', strength, 0.5, MA_CROSS_ID, fixedReason, n.above);
  }
  if (f1 >= s1 && f0 < s0) {
    return new DescribedSignal(symbol, time, 'sell', -strength, 0.5, MA_CROSS_ID, fixedReason, n.below);
  }
  return null;
}

const MA_CROSS_ID = 'ma-cross';

/**
 * A rung's reasons are fixed strings, written once per strategy. The signal is still a
 * `DescribedSignal`, like every built-in's, so code reading signals from several
 * strategies (the aggregator) sees one shape.
 */
function fixedReason(reason: string): string {
  return reason;
}

export const maCrossDefinition: StrategyDefinition<typeof MaCrossParams> = {
  id: 'ma-cross',
  description: 'Moving-average crossover (SMA or EMA, fast/slow periods)',
  params: MaCrossParams,
  create: createMaCross,
};
