import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, WMA_HOT, lagStep, wmaStep } from '../kernels/steps.js';

const params = z.object({ long: period(14), short: period(11), wma: period(10) });
type P = z.output<typeof params>;

/** Coppock curve: WMA(wma) of ROC(long) + ROC(short), ROCs in percent. */
export const coppock = defineIndicator<P>({
  name: 'coppock',
  title: 'Coppock Curve',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => Math.max(p.long, p.short) + p.wma - 1,
  kernel: {
    layout: (p) => ({ size: 2 * LAG_HOT + WMA_HOT + p.long + 1 + p.short + 1 + p.wma + 1, hot: 2 * LAG_HOT + WMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const r1 = 2 * LAG_HOT + WMA_HOT;
      const r2 = r1 + p.long + 1;
      const r3 = r2 + p.short + 1;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        const a = lagStep(st, 0, r1, p.long, c);
        const b = lagStep(st, LAG_HOT, r2, p.short, c);
        o[i] = wmaStep(st, 2 * LAG_HOT, r3, p.wma, ((c - a) / a + (c - b) / b) * 100);
      }
    },
  },
});
