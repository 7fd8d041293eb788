import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Volume-weighted moving average sum(close*volume)/sum(volume); an all-zero-volume window falls back to the SMA. */
export const vwma = defineIndicator<P>({
  name: 'vwma',
  title: 'Volume Weighted Moving Average',
  inputs: ['close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 3 * SUM_HOT + 3 * (p.period + 1), hot: 3 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const c = ins[0]!;
      const v = ins[1]!;
      const o = outs[0]!;
      const n = p.period;
      const r = 3 * SUM_HOT;
      for (let i = from; i < to; i++) {
        const pv = sumStep(st, 0, r, n, c[i]! * v[i]!);
        const sv = sumStep(st, SUM_HOT, r + n + 1, n, v[i]!);
        const sc = sumStep(st, 2 * SUM_HOT, r + 2 * (n + 1), n, c[i]!);
        o[i] = sv > 0 ? pv / sv : sc / n;
      }
    },
  },
});
