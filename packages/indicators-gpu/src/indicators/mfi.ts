import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/**
 * Money Flow Index: RSI of money flow tp*volume signed by the change of tp
 * (h+l+c)/3; flows start at bar 1. No negative flow reads 100, no flow at all 50.
 * State: [count, prevTp | positive sum | negative sum | rings].
 */
export const mfi = defineIndicator<P>({
  name: 'mfi',
  title: 'Money Flow Index',
  inputs: ['high', 'low', 'close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Unrounded (technicalindicators rounds MFI to 2 decimals).',
  kernel: {
    layout: (p) => ({ size: 2 + 2 * SUM_HOT + 2 * (p.period + 1), hot: 2 + 2 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl, vo] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period;
      const A = 2;
      const B = A + SUM_HOT;
      const r = B + SUM_HOT;
      for (let i = from; i < to; i++) {
        const tp = (hi[i]! + lo[i]! + cl[i]!) / 3;
        const first = st[0] === 0;
        const prev = st[1]!;
        st[0] = 1;
        st[1] = tp;
        if (first) {
          o[i] = NaN;
          continue;
        }
        const flow = tp * vo[i]!;
        const pos = sumStep(st, A, r, n, tp > prev ? flow : 0);
        const neg = sumStep(st, B, r + n + 1, n, tp < prev ? flow : 0);
        o[i] = pos !== pos ? NaN : neg === 0 ? (pos === 0 ? 50 : 100) : 100 - 100 / (1 + pos / neg);
      }
    },
  },
});
