import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuRoc } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, lagStep } from '../kernels/steps.js';

const params = z.object({ period: period(10) });
type P = z.output<typeof params>;

/** Rate of change in percent: 100*(close - close[n])/close[n] (technicalindicators; tulip's roc is the unscaled ratio). */
export const roc = defineIndicator<P>({
  name: 'roc',
  title: 'Rate of Change',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: LAG_HOT + p.period + 1, hot: LAG_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const old = lagStep(st, 0, LAG_HOT, p.period, x[i]!);
        o[i] = ((x[i]! - old) / old) * 100;
      }
    },
  },
  gpu: gpuRoc,
});
