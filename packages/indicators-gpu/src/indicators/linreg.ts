import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14, 2) });
type P = z.output<typeof params>;

/**
 * Rolling least-squares line over the last n closes with x = 1..n (tulip's
 * layout): slope per bar; intercept = fitted value at the oldest bar of the
 * window (x = 1, tulip's linregintercept); value = fitted value at the
 * current bar (x = n, tulip's linreg); forecast = one bar ahead (x = n + 1,
 * tulip's tsf).
 * O(1): sum(y) and sum(x*y) are updated as the window slides
 * (shifting x by one subtracts sum(y)). State: [count, head, sy, sxy | ring].
 */
export const linreg = defineIndicator<P>({
  name: 'linreg',
  title: 'Linear Regression',
  inputs: ['close'],
  params,
  outputs: ['value', 'slope', 'intercept', 'forecast'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 4 + p.period + 1, hot: 4 }),
    run(ins, outs, st, p, from, to) {
      const y = ins[0]!;
      const [ov, os, oi, of] = outs as [Float64Array, Float64Array, Float64Array, Float64Array];
      const n = p.period;
      const sx = (n * (n + 1)) / 2;
      const sxx = (n * (n + 1) * (2 * n + 1)) / 6;
      const den = n * sxx - sx * sx;
      for (let i = from; i < to; i++) {
        const v = y[i]!;
        let head = st[1]!;
        st[4 + head] = v;
        head = head === n ? 0 : head + 1;
        st[1] = head;
        const old = st[4 + head]!;
        // Window values keep x = 1..n: sliding lowers each x by one (-sy), the new value enters at x = n.
        const sy0 = st[2]!;
        const sxy = st[3]! - sy0 + n * v;
        const sy = sy0 + v - old;
        st[2] = sy;
        st[3] = sxy;
        const c = st[0]! + 1;
        st[0] = c;
        if (c < n) {
          ov[i] = os[i] = oi[i] = of[i] = NaN;
          continue;
        }
        const b = (n * sxy - sx * sy) / den;
        const a = (sy - b * sx) / n;
        os[i] = b;
        oi[i] = a + b;
        ov[i] = a + b * n;
        of[i] = a + b * (n + 1);
      }
    },
  },
});
