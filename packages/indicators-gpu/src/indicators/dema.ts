import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Double EMA: 2*EMA(x) - EMA(EMA(x)), both SMA-seeded. */
export const dema = defineIndicator<P>({
  name: 'dema',
  title: 'Double Exponential Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => 2 * (p.period - 1),
  kernel: {
    layout: () => ({ size: 2 * EMA_HOT, hot: 2 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const a = 2 / (p.period + 1);
      for (let i = from; i < to; i++) {
        const e1 = emaStep(st, 0, p.period, a, x[i]!);
        const e2 = emaStep(st, EMA_HOT, p.period, a, e1);
        o[i] = 2 * e1 - e2;
      }
    },
  },
});
