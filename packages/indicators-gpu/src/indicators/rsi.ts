import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14, 1) });
type P = z.output<typeof params>;

/**
 * Relative Strength Index with Wilder smoothing: the first average gain/loss
 * is the SMA of the first `period` changes, then avg = (avg*(p-1) + x)/p.
 * A flat window (no gains, no losses) reads 50; no losses reads 100.
 * State: [count, prevClose, avgGain, avgLoss].
 */
export const rsi = defineIndicator<P>({
  name: 'rsi',
  title: 'Relative Strength Index',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Wilder smoothing seeded by the SMA of the first `period` changes.',
  kernel: {
    layout: () => ({ size: 4, hot: 4 }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const inv = 1 / n;
      let cnt = st[0]!;
      let prev = st[1]!;
      let g = st[2]!;
      let l = st[3]!;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        if (cnt === 0) {
          cnt = 1;
          prev = c;
          o[i] = NaN;
          continue;
        }
        const d = c - prev;
        prev = c;
        const up = d > 0 ? d : 0;
        const dn = d < 0 ? -d : 0;
        if (cnt <= n) {
          g += up;
          l += dn;
          if (cnt < n) {
            cnt++;
            o[i] = NaN;
            continue;
          }
          g /= n;
          l /= n;
          cnt++;
        } else {
          // Wilder: avg = (avg*(n-1) + x)/n, as avg += (x - avg)/n with one multiply.
          g += (up - g) * inv;
          l += (dn - l) * inv;
        }
        // 100 - 100/(1 + g/l) with one division; 50 on a flat window.
        const t = g + l;
        o[i] = t === 0 ? 50 : (100 * g) / t;
      }
      st[0] = cnt;
      st[1] = prev;
      st[2] = g;
      st[3] = l;
    },
  },
});
