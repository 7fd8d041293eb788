import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, lagStep } from '../kernels/steps.js';

const params = z.object({ period: period(10) });
type P = z.output<typeof params>;

/** Momentum: close - close[n]. */
export const mom = defineIndicator<P>({
  name: 'mom',
  title: 'Momentum',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: LAG_HOT + p.period + 1, hot: LAG_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      for (let i = from; i < to; i++) o[i] = x[i]! - lagStep(st, 0, LAG_HOT, p.period, x[i]!);
    },
  },
});
