import { z } from 'zod';
import type { Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';

export const MaCrossParams = z
  .object({
    kind: z.enum(['sma', 'ema']).default('ema').describe('moving average type'),
    fast: z.number().int().min(2).max(500).default(12).describe('fast period'),
    slow: z.number().int().min(3).max(1000).default(26).describe('slow period'),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });

export type MaCrossParams = z.infer<typeof MaCrossParams>;

/**
 * Moving-average crossover: buy when the fast average crosses above the slow one,
 * sell when it crosses below. Strength grows with the gap between the averages.
 */
export function createMaCross(params: MaCrossParams): Strategy {
  const id = 'ma-cross';
  return {
    id,
    warmup: params.slow + 1,
    indicators: {
      fast: { indicator: params.kind, params: { period: params.fast } },
      slow: { indicator: params.kind, params: { period: params.slow } },
    },
    decide(view) {
      const f0 = view.indicator('fast');
      const s0 = view.indicator('slow');
      const f1 = view.indicator('fast', 1);
      const s1 = view.indicator('slow', 1);
      if (!(Number.isFinite(f0) && Number.isFinite(s0) && Number.isFinite(f1) && Number.isFinite(s1))) return null;
      const gap = (f0 - s0) / s0;
      const strength = Math.max(-1, Math.min(1, gap * 50));
      const name = `${params.kind.toUpperCase()}(${params.fast})`;
      const slow = `${params.kind.toUpperCase()}(${params.slow})`;
      if (f1 <= s1 && f0 > s0) {
        return { symbol: view.symbol, time: view.time, direction: 'buy', strength: Math.max(strength, 0.01), confidence: 0.5, source: id, reason: `${name} crossed above ${slow}` };
      }
      if (f1 >= s1 && f0 < s0) {
        return { symbol: view.symbol, time: view.time, direction: 'sell', strength: Math.min(strength, -0.01), confidence: 0.5, source: id, reason: `${name} crossed below ${slow}` };
      }
      return null;
    },
  };
}

export const maCrossDefinition: StrategyDefinition<typeof MaCrossParams> = {
  id: 'ma-cross',
  description: 'Moving-average crossover (SMA or EMA, fast/slow periods)',
  params: MaCrossParams,
  create: createMaCross,
};
