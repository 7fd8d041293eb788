import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';

const params = z.object({ period: period(10) });
type P = z.output<typeof params>;

/**
 * Fisher transform of the bar midpoint (tulip's constants): v = 0.66*((m -
 * LL)/(HH - LL) - 0.5) + 0.67*v, clamped to +-0.999, fisher = 0.5*ln((1+v)/(1-v))
 * + 0.5*fisher; trigger = previous fisher. A flat window uses range 0.001.
 */
export const fisher = defineIndicator<P>({
  name: 'fisher',
  title: 'Fisher Transform',
  inputs: ['high', 'low'],
  params,
  outputs: ['fisher', 'trigger'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 + 2 * extremeHot(p.period), hot: 2 + 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [of, ot] = outs as [Float64Array, Float64Array];
      const e = extremeHot(p.period);
      for (let i = from; i < to; i++) {
        const m = (hi[i]! + lo[i]!) / 2;
        const hh = extremeStep(st, 2, p.period, 1, m);
        const ll = extremeStep(st, 2 + e, p.period, -1, m);
        if (hh !== hh) {
          of[i] = ot[i] = NaN;
          continue;
        }
        let range = hh - ll;
        if (range === 0) range = 0.001;
        let v = 0.66 * ((m - ll) / range - 0.5) + 0.67 * st[0]!;
        if (v > 0.99) v = 0.999;
        if (v < -0.99) v = -0.999;
        st[0] = v;
        const prev = st[1]!;
        const f = 0.5 * Math.log((1 + v) / (1 - v)) + 0.5 * prev;
        st[1] = f;
        of[i] = f;
        ot[i] = prev;
      }
    },
  },
});
