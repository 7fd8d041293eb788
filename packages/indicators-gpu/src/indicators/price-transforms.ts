import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';

const none = z.object({});
type P = z.output<typeof none>;

/** Typical price (h + l + c)/3. */
export const typprice = defineIndicator<P>({
  name: 'typprice',
  title: 'Typical Price',
  inputs: ['high', 'low', 'close'],
  params: none,
  outputs: ['value'],
  warmup: () => 0,
  kernel: {
    layout: () => ({ size: 0, hot: 0 }),
    run(ins, outs, _st, _p, from, to) {
      const [h, l, c] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) o[i] = (h[i]! + l[i]! + c[i]!) / 3;
    },
  },
});

/** Median price (h + l)/2. */
export const medprice = defineIndicator<P>({
  name: 'medprice',
  title: 'Median Price',
  inputs: ['high', 'low'],
  params: none,
  outputs: ['value'],
  warmup: () => 0,
  kernel: {
    layout: () => ({ size: 0, hot: 0 }),
    run(ins, outs, _st, _p, from, to) {
      const [h, l] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) o[i] = (h[i]! + l[i]!) / 2;
    },
  },
});

/** Balance of power (c - o)/(h - l); 0 on a bar with no range. */
export const bop = defineIndicator<P>({
  name: 'bop',
  title: 'Balance of Power',
  inputs: ['open', 'high', 'low', 'close'],
  params: none,
  outputs: ['value'],
  warmup: () => 0,
  kernel: {
    layout: () => ({ size: 0, hot: 0 }),
    run(ins, outs, _st, _p, from, to) {
      const [op, h, l, c] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const r = h[i]! - l[i]!;
        o[i] = r > 0 ? (c[i]! - op[i]!) / r : 0;
      }
    },
  },
});
