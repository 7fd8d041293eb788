import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuDonchian } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Donchian channels: highest high, lowest low and their midpoint over `period` bars (current bar included). */
export const donchian = defineIndicator<P>({
  name: 'donchian',
  title: 'Donchian Channels',
  inputs: ['high', 'low'],
  params,
  outputs: ['upper', 'middle', 'lower'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period), hot: 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [ou, om, ol] = outs as [Float64Array, Float64Array, Float64Array];
      const e = extremeHot(p.period);
      for (let i = from; i < to; i++) {
        const u = extremeStep(st, 0, p.period, 1, hi[i]!);
        const l = extremeStep(st, e, p.period, -1, lo[i]!);
        ou[i] = u;
        ol[i] = l;
        om[i] = (u + l) / 2;
      }
    },
  },
  gpu: gpuDonchian,
});
