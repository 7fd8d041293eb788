import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(18) });
type P = z.output<typeof params>;

/** TRIX: 1-bar percent change of the triple-smoothed EMA (EMAs SMA-seeded). State: [3 EMAs, prev E3]. */
export const trix = defineIndicator<P>({
  name: 'trix',
  title: 'Triple Exponential Average Oscillator',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => 3 * (p.period - 1) + 1,
  kernel: {
    layout: () => ({ size: 3 * EMA_HOT + 1, hot: 3 * EMA_HOT + 1 }),
    init: (st) => {
      st[3 * EMA_HOT] = NaN;
    },
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const a = 2 / (p.period + 1);
      const P3 = 3 * EMA_HOT;
      for (let i = from; i < to; i++) {
        const e3 = emaStep(st, 2 * EMA_HOT, p.period, a, emaStep(st, EMA_HOT, p.period, a, emaStep(st, 0, p.period, a, x[i]!)));
        const prev = st[P3]!;
        o[i] = ((e3 - prev) / prev) * 100;
        if (e3 === e3) st[P3] = e3;
      }
    },
  },
});
