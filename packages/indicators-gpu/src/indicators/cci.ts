import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT } from '../kernels/steps.js';

/**
 * Sum of |st[k] - mean| for k in [from, to), over four accumulators: one
 * running sum would make every add wait for the one before it.
 */
function absDeviation(st: Float64Array, from: number, to: number, mean: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = from;
  for (; k + 3 < to; k += 4) {
    a += Math.abs(st[k]! - mean);
    b += Math.abs(st[k + 1]! - mean);
    c += Math.abs(st[k + 2]! - mean);
    d += Math.abs(st[k + 3]! - mean);
  }
  for (; k < to; k++) a += Math.abs(st[k]! - mean);
  return a + b + (c + d);
}

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/**
 * Commodity Channel Index = (tp - SMA(tp)) / (0.015 * meanDeviation(tp)),
 * tp = (h+l+c)/3. Mean deviation has no O(1) update, so each bar scans the
 * window ring: O(period) per bar in batch and streaming. Zero deviation reads 0.
 */
export const cci = defineIndicator<P>({
  name: 'cci',
  title: 'Commodity Channel Index',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: SUM_HOT + p.period + 1, hot: SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period | 0;
      const r = SUM_HOT;
      // sumStep's (count, head, sum) in locals for the run; the same arithmetic, so the
      // same bits as bar by bar.
      let count = st[0]!;
      let head = st[1]! | 0;
      let sum = st[2]!;
      for (let i = from; i < to; i++) {
        const tp = (hi[i]! + lo[i]! + cl[i]!) / 3;
        st[r + head] = tp;
        head = head === n ? 0 : head + 1;
        sum = sum + tp - st[r + head]!;
        count++;
        if (count < n) {
          o[i] = NaN;
          continue;
        }
        const mean = sum / n;
        // The window is every ring slot but the one at head (the value that just left).
        const dev = (absDeviation(st, r, r + head, mean) + absDeviation(st, r + head + 1, r + n + 1, mean)) / n;
        o[i] = dev === 0 ? 0 : (tp - mean) / (0.015 * dev);
      }
      st[0] = count;
      st[1] = head;
      st[2] = sum;
    },
  },
});
