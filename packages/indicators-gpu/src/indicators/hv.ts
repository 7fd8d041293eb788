import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { VAR_HOT, varStep } from '../kernels/steps.js';

const params = z.object({ period: period(20, 2), periodsPerYear: z.number().min(1).max(1e7).default(365) });
type P = z.output<typeof params>;

/**
 * Historical (realised) volatility in percent: sample stdev (N - 1) of log
 * returns over `period` bars x sqrt(periodsPerYear) x 100. Set
 * periodsPerYear to 8760 for 1h crypto candles (24/7), 365 for 1d.
 */
export const hv = defineIndicator<P>({
  name: 'hv',
  title: 'Historical Volatility',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Log returns, sample stdev (N-1), annualised by sqrt(periodsPerYear), in percent.',
  kernel: {
    layout: (p) => ({ size: 2 + VAR_HOT + p.period + 1, hot: 2 + VAR_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const k = Math.sqrt((p.period / (p.period - 1)) * p.periodsPerYear) * 100;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        const first = st[0] === 0;
        const r = first ? NaN : Math.log(c / st[1]!);
        st[0] = 1;
        st[1] = c;
        o[i] = Math.sqrt(varStep(st, 2, 2 + VAR_HOT, p.period, r)) * k;
      }
    },
  },
});
