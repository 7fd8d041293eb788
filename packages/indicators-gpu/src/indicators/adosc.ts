import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';
import { moneyFlowVolume } from './ad.js';

const params = z.object({ fast: period(3), slow: period(10) });
type P = z.output<typeof params>;

/** Chaikin oscillator: EMA(fast) - EMA(slow) of the A/D line (EMAs SMA-seeded; tulip seeds with the first value). */
export const adosc = defineIndicator<P>({
  name: 'adosc',
  title: 'Chaikin Oscillator',
  inputs: ['high', 'low', 'close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.slow - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  kernel: {
    layout: () => ({ size: 1 + 2 * EMA_HOT, hot: 1 + 2 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, c, v] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const af = 2 / (p.fast + 1);
      const as = 2 / (p.slow + 1);
      for (let i = from; i < to; i++) {
        const line = st[0]! + moneyFlowVolume(h[i]!, l[i]!, c[i]!, v[i]!);
        st[0] = line;
        o[i] = emaStep(st, 1, p.fast, af, line) - emaStep(st, 1 + EMA_HOT, p.slow, as, line);
      }
    },
  },
});
