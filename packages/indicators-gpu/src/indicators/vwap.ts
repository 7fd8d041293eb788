import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { MAX_PERIOD } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: z.number().int().min(0).max(MAX_PERIOD).default(0) });
type P = z.output<typeof params>;

/**
 * VWAP of the typical price (h+l+c)/3. period = 0 (default) anchors at the
 * first bar and accumulates (technicalindicators' VWAP); period > 0 is a
 * rolling window. Zero volume so far: the typical price itself.
 */
export const vwap = defineIndicator<P>({
  name: 'vwap',
  title: 'Volume Weighted Average Price',
  inputs: ['high', 'low', 'close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => Math.max(0, p.period - 1),
  kernel: {
    layout: (p) => (p.period === 0 ? { size: 2, hot: 2 } : { size: 2 * SUM_HOT + 2 * (p.period + 1), hot: 2 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, c, v] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period;
      for (let i = from; i < to; i++) {
        const tp = (h[i]! + l[i]! + c[i]!) / 3;
        let pv: number;
        let sv: number;
        if (n === 0) {
          pv = st[0]! + tp * v[i]!;
          sv = st[1]! + v[i]!;
          st[0] = pv;
          st[1] = sv;
        } else {
          pv = sumStep(st, 0, 2 * SUM_HOT, n, tp * v[i]!);
          sv = sumStep(st, SUM_HOT, 2 * SUM_HOT + n + 1, n, v[i]!);
        }
        o[i] = pv !== pv ? NaN : sv > 0 ? pv / sv : tp;
      }
    },
  },
});
