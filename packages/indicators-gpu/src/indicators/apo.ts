import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ fast: period(12), slow: period(26) });
type P = z.output<typeof params>;

/** Absolute price oscillator: EMA(fast) - EMA(slow) (the MACD line without signal). */
export const apo = defineIndicator<P>({
  name: 'apo',
  title: 'Absolute Price Oscillator',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.slow - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  kernel: {
    layout: () => ({ size: 2 * EMA_HOT, hot: 2 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const af = 2 / (p.fast + 1);
      const as = 2 / (p.slow + 1);
      for (let i = from; i < to; i++) o[i] = emaStep(st, 0, p.fast, af, x[i]!) - emaStep(st, EMA_HOT, p.slow, as, x[i]!);
    },
  },
});
