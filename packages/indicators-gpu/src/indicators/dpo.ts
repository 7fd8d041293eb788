import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, SUM_HOT, lagStep, smaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20, 2) });
type P = z.output<typeof params>;

const shift = (p: P) => Math.floor(p.period / 2) + 1;

/**
 * Detrended price oscillator without lookahead: close[t - (n/2 + 1)] - SMA(n)[t]
 * (the centred textbook form would need future bars).
 */
export const dpo = defineIndicator<P>({
  name: 'dpo',
  title: 'Detrended Price Oscillator',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => Math.max(p.period - 1, shift(p)),
  kernel: {
    layout: (p) => ({ size: SUM_HOT + LAG_HOT + p.period + 1 + shift(p) + 1, hot: SUM_HOT + LAG_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const s = shift(p);
      const r1 = SUM_HOT + LAG_HOT;
      const r2 = r1 + p.period + 1;
      for (let i = from; i < to; i++) {
        const m = smaStep(st, 0, r1, p.period, x[i]!);
        o[i] = lagStep(st, SUM_HOT, r2, s, x[i]!) - m;
      }
    },
  },
});
