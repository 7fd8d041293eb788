import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Triple EMA: 3*E1 - 3*E2 + E3 where E(k+1) = EMA(Ek), all SMA-seeded. */
export const tema = defineIndicator<P>({
  name: 'tema',
  title: 'Triple Exponential Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => 3 * (p.period - 1),
  kernel: {
    layout: () => ({ size: 3 * EMA_HOT, hot: 3 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const a = 2 / (p.period + 1);
      for (let i = from; i < to; i++) {
        const e1 = emaStep(st, 0, p.period, a, x[i]!);
        const e2 = emaStep(st, EMA_HOT, p.period, a, e1);
        const e3 = emaStep(st, 2 * EMA_HOT, p.period, a, e2);
        o[i] = 3 * e1 - 3 * e2 + e3;
      }
    },
  },
});
