import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT } from '../kernels/steps.js';

const params = z.object({ period: period(14), divisor: z.number().min(1e-6).max(1e9).default(10_000) });
type P = z.output<typeof params>;

/**
 * Ease of movement: SMA(period) of (midpoint move) / ((volume/divisor)/(h - l))
 * = move * (h - l) * divisor / volume, from bar 1. A bar with no volume or no
 * range contributes 0 (it carries no information, and tulip's form would divide by zero).
 */
export const eom = defineIndicator<P>({
  name: 'eom',
  title: 'Ease of Movement',
  inputs: ['high', 'low', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 + SUM_HOT + p.period + 1, hot: 2 + SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, v] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period | 0;
      const d = p.divisor;
      const r = 2 + SUM_HOT;
      // State: [started, previous midpoint] then smaStep's (count, head, sum) and ring,
      // in locals for the run; the same arithmetic, so the same bits as bar by bar.
      let started = st[0] !== 0;
      let prevMid = st[1]!;
      let count = st[2]!;
      let head = st[3]! | 0;
      let sum = st[4]!;
      for (let i = from; i < to; i++) {
        const hi = h[i]!;
        const lo = l[i]!;
        const vi = v[i]!;
        const mid = (hi + lo) / 2;
        const move = mid - prevMid;
        prevMid = mid;
        if (!started) {
          // The first bar has no move: smaStep skips its NaN without advancing.
          started = true;
          o[i] = NaN;
          continue;
        }
        const range = hi - lo;
        const emv = vi > 0 && range > 0 ? (move * range * d) / vi : 0;
        st[r + head] = emv;
        head = head === n ? 0 : head + 1;
        sum = sum + emv - st[r + head]!;
        count++;
        o[i] = (count >= n ? sum : NaN) / n;
      }
      st[0] = started ? 1 : 0;
      st[1] = prevMid;
      st[2] = count;
      st[3] = head;
      st[4] = sum;
    },
  },
});
