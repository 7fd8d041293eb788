import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuWma } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { WMA_HOT, wmaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Linearly weighted moving average (weights 1..period, newest heaviest), O(1) per bar. */
export const wma = defineIndicator<P>({
  name: 'wma',
  title: 'Weighted Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: WMA_HOT + p.period + 1, hot: WMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      for (let i = from; i < to; i++) o[i] = wmaStep(st, 0, WMA_HOT, p.period, x[i]!);
    },
  },
  gpu: gpuWma,
});
