import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ fast: period(12), slow: period(26), signal: period(9) });
type P = z.output<typeof params>;

/** Percentage price oscillator: 100*(EMA(fast) - EMA(slow))/EMA(slow), signal EMA and histogram (like MACD). */
export const ppo = defineIndicator<P>({
  name: 'ppo',
  title: 'Percentage Price Oscillator',
  inputs: ['close'],
  params,
  outputs: ['ppo', 'signal', 'histogram'],
  warmup: (p) => p.slow - 1 + p.signal - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  kernel: {
    layout: () => ({ size: 3 * EMA_HOT, hot: 3 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const [op, os, oh] = outs as [Float64Array, Float64Array, Float64Array];
      const af = 2 / (p.fast + 1);
      const as = 2 / (p.slow + 1);
      const ag = 2 / (p.signal + 1);
      for (let i = from; i < to; i++) {
        const f = emaStep(st, 0, p.fast, af, x[i]!);
        const s = emaStep(st, EMA_HOT, p.slow, as, x[i]!);
        const v = (100 * (f - s)) / s;
        const g = emaStep(st, 2 * EMA_HOT, p.signal, ag, v);
        op[i] = g === g ? v : NaN;
        os[i] = g;
        oh[i] = v - g;
      }
    },
  },
});
