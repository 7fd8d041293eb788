import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuRma } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Wilder's moving average (RMA/SMMA): alpha = 1/period, SMA-seeded. The smoothing inside RSI, ATR and ADX. */
export const rma = defineIndicator<P>({
  name: 'rma',
  title: "Wilder's Moving Average",
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: () => ({ size: EMA_HOT, hot: EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const a = 1 / p.period;
      for (let i = from; i < to; i++) o[i] = emaStep(st, 0, p.period, a, x[i]!);
    },
  },
  gpu: gpuRma,
});
