import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';
import { EXTREME_BLOCK, extremeScratch, rebuildExtreme, windowExtremes } from '../kernels/window-extremes.js';

/** The smoothed, clamped position of midpoint m in its window [ll, hh] (a flat window uses range 0.001). */
function nextV(v: number, m: number, hh: number, ll: number): number {
  let range = hh - ll;
  if (range === 0) range = 0.001;
  let next = 0.66 * ((m - ll) / range - 0.5) + 0.67 * v;
  if (next > 0.99) next = 0.999;
  if (next < -0.99) next = -0.999;
  return next;
}

/** One bar through the deques; state: [v, previous fisher], then the high and low deques. */
function fisherStep(st: Float64Array, e: number, n: number, m: number, of: Float64Array, ot: Float64Array, i: number): void {
  const hh = extremeStep(st, 2, n, 1, m);
  const ll = extremeStep(st, 2 + e, n, -1, m);
  if (hh !== hh) {
    of[i] = ot[i] = NaN;
    return;
  }
  const v = nextV(st[0]!, m, hh, ll);
  st[0] = v;
  const prev = st[1]!;
  const f = 0.5 * Math.log((1 + v) / (1 - v)) + 0.5 * prev;
  st[1] = f;
  of[i] = f;
  ot[i] = prev;
}

const params = z.object({ period: period(10) });
type P = z.output<typeof params>;

/**
 * Fisher transform of the bar midpoint (tulip's constants): v = 0.66*((m -
 * LL)/(HH - LL) - 0.5) + 0.67*v, clamped to +-0.999, fisher = 0.5*ln((1+v)/(1-v))
 * + 0.5*fisher; trigger = previous fisher. A flat window uses range 0.001.
 */
export const fisher = defineIndicator<P>({
  name: 'fisher',
  title: 'Fisher Transform',
  inputs: ['high', 'low'],
  params,
  outputs: ['fisher', 'trigger'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 + 2 * extremeHot(p.period), hot: 2 + 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [of, ot] = outs as [Float64Array, Float64Array];
      const n = p.period | 0;
      const e = extremeHot(n);
      // Bars whose window reaches back before this call (and the warm-up) go through the deques.
      const direct = Math.min(to, from + n - 1);
      let i = from;
      for (; i < direct; i++) fisherStep(st, e, n, (hi[i]! + lo[i]!) / 2, of, ot, i);
      if (to - i >= 4 * n) {
        // Window extremes of the midpoints, a block at a time, each block's midpoints
        // with the n - 1 before them (all inside this call from `direct` on).
        const count = st[2]! + (to - i);
        const hist = n - 1;
        const mids = new Float64Array(hist + Math.min(EXTREME_BLOCK, to - i));
        const highs = extremeScratch(n, to - i);
        const lows = extremeScratch(n, to - i);
        let v = st[0]!;
        let f = st[1]!;
        let m = 0;
        for (let b = i; b < to; b += EXTREME_BLOCK) {
          const end = Math.min(to, b + EXTREME_BLOCK);
          m = end - b;
          for (let k = 0; k < hist + m; k++) mids[k] = (hi[b - hist + k]! + lo[b - hist + k]!) / 2;
          windowExtremes(mids, 0, hist, hist + m, n, 1, highs);
          windowExtremes(mids, 0, hist, hist + m, n, -1, lows);
          for (let q = 0; q < m; q++) {
            v = nextV(v, mids[hist + q]!, highs.values[q]!, lows.values[q]!);
            const prev = f;
            f = 0.5 * Math.log((1 + v) / (1 - v)) + 0.5 * prev;
            of[b + q] = f;
            ot[b + q] = prev;
          }
        }
        st[0] = v;
        st[1] = f;
        rebuildExtreme(st, 2, n, 1, mids, hist + m, count);
        rebuildExtreme(st, 2 + e, n, -1, mids, hist + m, count);
        i = to;
      }
      for (; i < to; i++) fisherStep(st, e, n, (hi[i]! + lo[i]!) / 2, of, ot, i);
    },
  },
});
