import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { VAR_HOT, varStep } from '../kernels/steps.js';

const params = z.object({ period: period(20, 2), sample: z.boolean().default(false) });
type P = z.output<typeof params>;

/** Rolling variance; population by default (tulip's `var`), `sample: true` divides by N - 1. */
export const variance = defineIndicator<P>({
  name: 'variance',
  title: 'Variance',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: VAR_HOT + p.period + 1, hot: VAR_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const k = p.sample ? p.period / (p.period - 1) : 1;
      for (let i = from; i < to; i++) o[i] = varStep(st, 0, VAR_HOT, p.period, x[i]!) * k;
    },
  },
});
