import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Volume-weighted moving average sum(close*volume)/sum(volume); an all-zero-volume window falls back to the SMA. */
export const vwma = defineIndicator<P>({
  name: 'vwma',
  title: 'Volume Weighted Moving Average',
  inputs: ['close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 3 * SUM_HOT + 3 * (p.period + 1), hot: 3 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const c = ins[0]!;
      const v = ins[1]!;
      const o = outs[0]!;
      const n = p.period | 0;
      // The three rolling sums of sumStep (count, head, sum; rings after the hot area),
      // held in locals for the run: the same arithmetic in the same order, so the
      // same bits as stepping bar by bar, without a store and reload per sum per bar.
      const rPv = 3 * SUM_HOT;
      const rV = rPv + n + 1;
      const rC = rV + n + 1;
      let count = st[0]! | 0;
      let head = st[1]! | 0;
      let pv = st[2]!;
      let sv = st[SUM_HOT + 2]!;
      let sc = st[2 * SUM_HOT + 2]!;
      for (let i = from; i < to; i++) {
        const ci = c[i]!;
        const vi = v[i]!;
        const x = ci * vi;
        st[rPv + head] = x;
        st[rV + head] = vi;
        st[rC + head] = ci;
        head = head === n ? 0 : head + 1;
        pv = pv + x - st[rPv + head]!;
        sv = sv + vi - st[rV + head]!;
        sc = sc + ci - st[rC + head]!;
        count++;
        o[i] = count < n ? NaN : sv > 0 ? pv / sv : sc / n;
      }
      // The three sums advance together, so they share count and head.
      for (let k = 0; k < 3; k++) {
        st[k * SUM_HOT] = count;
        st[k * SUM_HOT + 1] = head;
      }
      st[2] = pv;
      st[SUM_HOT + 2] = sv;
      st[2 * SUM_HOT + 2] = sc;
    },
  },
});
