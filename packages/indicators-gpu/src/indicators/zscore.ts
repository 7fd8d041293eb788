import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { VAR_HOT, varStep } from '../kernels/steps.js';

const params = z.object({ period: period(20, 2) });
type P = z.output<typeof params>;

/** Rolling z-score (close - mean)/stdev over `period` bars, population stdev; a flat window reads 0. */
export const zscore = defineIndicator<P>({
  name: 'zscore',
  title: 'Z-Score',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: VAR_HOT + p.period + 1, hot: VAR_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const v = varStep(st, 0, VAR_HOT, p.period, x[i]!);
        o[i] = v !== v ? NaN : v === 0 ? 0 : (x[i]! - st[2]!) / Math.sqrt(v);
      }
    },
  },
});
