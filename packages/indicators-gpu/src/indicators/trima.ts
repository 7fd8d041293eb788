import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, smaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** The two SMA lengths of a triangular MA (tulip/TA-Lib split): odd n -> (n+1)/2 twice; even -> n/2 then n/2+1. */
function lengths(p: P): [number, number] {
  const n = p.period;
  return n % 2 === 1 ? [(n + 1) / 2, (n + 1) / 2] : [n / 2, n / 2 + 1];
}

/** Triangular moving average: an SMA of an SMA. */
export const trima = defineIndicator<P>({
  name: 'trima',
  title: 'Triangular Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => {
      const [a, b] = lengths(p);
      return { size: 2 * SUM_HOT + a + 1 + b + 1, hot: 2 * SUM_HOT };
    },
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const [a, b] = lengths(p);
      const r1 = 2 * SUM_HOT;
      const r2 = r1 + a + 1;
      for (let i = from; i < to; i++) o[i] = smaStep(st, SUM_HOT, r2, b, smaStep(st, 0, r1, a, x[i]!));
    },
  },
});
