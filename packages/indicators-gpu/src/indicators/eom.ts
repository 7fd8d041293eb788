import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, smaStep } from '../kernels/steps.js';

const params = z.object({ period: period(14), divisor: z.number().min(1e-6).max(1e9).default(10_000) });
type P = z.output<typeof params>;

/**
 * Ease of movement: SMA(period) of (midpoint move) / ((volume/divisor)/(h - l))
 * = move * (h - l) * divisor / volume, from bar 1. A bar with no volume or no
 * range contributes 0 (it carries no information, and tulip's form would divide by zero).
 */
export const eom = defineIndicator<P>({
  name: 'eom',
  title: 'Ease of Movement',
  inputs: ['high', 'low', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 + SUM_HOT + p.period + 1, hot: 2 + SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, v] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const mid = (h[i]! + l[i]!) / 2;
        const first = st[0] === 0;
        const move = mid - st[1]!;
        st[0] = 1;
        st[1] = mid;
        const range = h[i]! - l[i]!;
        const emv = first ? NaN : v[i]! > 0 && range > 0 ? (move * range * p.divisor) / v[i]! : 0;
        o[i] = smaStep(st, 2, 2 + SUM_HOT, p.period, emv);
      }
    },
  },
});
