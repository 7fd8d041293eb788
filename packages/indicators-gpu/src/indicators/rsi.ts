import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14, 1) });
type P = z.output<typeof params>;

/**
 * Relative Strength Index with Wilder smoothing: the first average gain/loss
 * is the SMA of the first `period` changes, then avg = (avg*(p-1) + x)/p,
 * computed as (1 - 1/p)*avg + x/p (one multiply-add on each loop-carried
 * chain). A flat window (no gains, no losses) reads 50; no losses reads 100.
 * Gain and loss are (|d| + d)/2 and (|d| - d)/2: exact, and free of the
 * coin-flip branch on the sign of each change.
 * State: [count (capped at period + 1), prevClose, avgGain, avgLoss].
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
    screensInputs: true,
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const a = 1 / n;
      const b = 1 - a;
      let cnt = st[0]!;
      let prev = st[1]!;
      let g = st[2]!;
      let l = st[3]!;
      // Screening: one compare per bar (NaN fails c > 0); +Infinity makes
      // the next change infinite and the averages non-finite, except on the
      // last bar, whose close is checked outright.
      let ok = true;
      let i = from;
      if (i < to && cnt === 0) {
        prev = x[i]!;
        if (!(prev > 0)) ok = false;
        cnt = 1;
        o[i] = NaN;
        i++;
      }
      for (; i < to && cnt <= n; i++) {
        const c = x[i]!;
        if (!(c > 0)) ok = false;
        const d = c - prev;
        prev = c;
        const m = Math.abs(d);
        g += (m + d) * 0.5;
        l += (m - d) * 0.5;
        if (cnt < n) {
          cnt++;
          o[i] = NaN;
          continue;
        }
        g /= n;
        l /= n;
        cnt++;
        const t = g + l;
        o[i] = t === 0 ? 50 : (100 * g) / t;
      }
      for (; i < to; i++) {
        const c = x[i]!;
        if (!(c > 0)) ok = false;
        const d = c - prev;
        prev = c;
        const m = Math.abs(d);
        g = b * g + a * ((m + d) * 0.5);
        l = b * l + a * ((m - d) * 0.5);
        // 100 - 100/(1 + g/l) with one division; 50 on a flat window.
        const t = g + l;
        o[i] = t === 0 ? 50 : (100 * g) / t;
      }
      st[0] = cnt;
      st[1] = prev;
      st[2] = g;
      st[3] = l;
      return ok && g + l < Infinity && prev < Infinity;
    },
  },
});
