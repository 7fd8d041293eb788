import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';

const params = z.object({});
type P = z.output<typeof params>;

/** Close location value ((c - l) - (h - c))/(h - l) x volume; 0 on a bar with no range. */
export function moneyFlowVolume(h: number, l: number, c: number, v: number): number {
  const r = h - l;
  return r > 0 ? ((c - l - (h - c)) / r) * v : 0;
}

/** Accumulation/distribution line: cumulative money-flow volume. */
export const ad = defineIndicator<P>({
  name: 'ad',
  title: 'Accumulation/Distribution Line',
  inputs: ['high', 'low', 'close', 'volume'],
  params,
  outputs: ['value'],
  warmup: () => 0,
  kernel: {
    layout: () => ({ size: 1, hot: 1 }),
    run(ins, outs, st, _p, from, to) {
      const [h, l, c, v] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      let sum = st[0]!;
      for (let i = from; i < to; i++) {
        sum += moneyFlowVolume(h[i]!, l[i]!, c[i]!, v[i]!);
        o[i] = sum;
      }
      st[0] = sum;
    },
  },
});
