import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, SUM_HOT, lagStep, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(10) });
type P = z.output<typeof params>;

/** Kaufman efficiency ratio |close - close[n]| / sum|dclose| over n bars, in [0, 1]; flat reads 0. */
export const er = defineIndicator<P>({
  name: 'er',
  title: 'Efficiency Ratio',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 + LAG_HOT + SUM_HOT + 2 * (p.period + 1), hot: 2 + LAG_HOT + SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const S = 2 + LAG_HOT;
      const r1 = S + SUM_HOT;
      const r2 = r1 + n + 1;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        const first = st[0] === 0;
        const d = Math.abs(c - st[1]!);
        st[0] = 1;
        st[1] = c;
        const old = lagStep(st, 2, r1, n, c);
        const vol = first ? NaN : sumStep(st, S, r2, n, d);
        o[i] = old !== old || vol !== vol ? NaN : vol === 0 ? 0 : Math.abs(c - old) / vol;
      }
    },
  },
});
