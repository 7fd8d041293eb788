import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { WMA_HOT, wmaStep } from '../kernels/steps.js';

const params = z.object({ period: period(16, 2) });
type P = z.output<typeof params>;

const half = (p: P) => Math.floor(p.period / 2);
const root = (p: P) => Math.floor(Math.sqrt(p.period));

/** Hull moving average: WMA(2*WMA(x, n/2) - WMA(x, n), floor(sqrt(n))). */
export const hma = defineIndicator<P>({
  name: 'hma',
  title: 'Hull Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1 + root(p) - 1,
  kernel: {
    // Hot: three WMA steps; cold: their rings.
    layout: (p) => ({ size: 3 * WMA_HOT + half(p) + 1 + p.period + 1 + root(p) + 1, hot: 3 * WMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const h = half(p);
      const q = root(p);
      const r1 = 3 * WMA_HOT;
      const r2 = r1 + h + 1;
      const r3 = r2 + p.period + 1;
      for (let i = from; i < to; i++) {
        const v = x[i]!;
        const a = wmaStep(st, 0, r1, h, v);
        const b = wmaStep(st, WMA_HOT, r2, p.period, v);
        o[i] = wmaStep(st, 2 * WMA_HOT, r3, q, 2 * a - b);
      }
    },
  },
});
