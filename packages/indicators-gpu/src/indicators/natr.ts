import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { atr } from './atr.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Normalized ATR: 100 * ATR / close (ATR conventions as in `atr`). Reuses the ATR kernel, then scales. */
export const natr = defineIndicator<P>({
  name: 'natr',
  title: 'Normalized Average True Range',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => atr.kernel.layout(p),
    run(ins, outs, st, p, from, to) {
      atr.kernel.run(ins, outs, st, p, from, to);
      const c = ins[2]!;
      const o = outs[0]!;
      for (let i = from; i < to; i++) o[i] = (100 * o[i]!) / c[i]!;
    },
  },
});
