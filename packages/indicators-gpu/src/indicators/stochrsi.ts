import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { RollingSum } from '../kernels/rolling-sum.js';
import { RSI_HOT, SUM_HOT, extremeHot, extremeStep, rsiStep, sumStep } from '../kernels/steps.js';
import { rsiKernel } from './rsi.js';
import { EXTREME_BLOCK, extremeScratch, rebuildExtreme, windowExtremes } from '../kernels/window-extremes.js';

/** Raw %K of the RSI against its window's highest and lowest values (a flat window reads 50). */
function rawK(r: number, hh: number, ll: number): number {
  return hh !== hh ? NaN : hh === ll ? 50 : (100 * (r - ll)) / (hh - ll);
}

/** One bar of k and d on a long run, their SMA sums held in RollingSums; kInv and dInv are 1/k and 1/d. */
function stochRsiBar(ks: RollingSum, ds: RollingSum, kInv: number, dInv: number, r: number, hh: number, ll: number, ok: Float64Array, od: Float64Array, i: number): void {
  // An average of one value is that value: exact, and no rolling sum to keep.
  const raw = rawK(r, hh, ll);
  const k = kInv === 1 ? raw : ks.push(raw) * kInv;
  const d = dInv === 1 ? k : ds.push(k) * dInv;
  ok[i] = d === d ? k : NaN;
  od[i] = d;
}

/**
 * One bar of k and d through the state itself (what a streaming update
 * runs: no objects per call). sumStep is RollingSum.push, operation for
 * operation, so both give the same bits. The sums sit at s1 (ring r1, k)
 * and right after it.
 */
function stochRsiStep(st: Float64Array, s1: number, r1: number, kp: number, dp: number, r: number, hh: number, ll: number, ok: Float64Array, od: Float64Array, i: number): void {
  const raw = rawK(r, hh, ll);
  const k = kp === 1 ? raw : sumStep(st, s1, r1, kp, raw) * (1 / kp);
  const d = dp === 1 ? k : sumStep(st, s1 + SUM_HOT, r1 + kp + 1, dp, k) * (1 / dp);
  ok[i] = d === d ? k : NaN;
  od[i] = d;
}

const params = z.object({ rsiPeriod: period(14), stochPeriod: period(14), k: period(3), d: period(3) });
type P = z.output<typeof params>;

/**
 * Stochastic RSI: 100*(rsi - min(rsi))/(max(rsi) - min(rsi)) over
 * `stochPeriod`, k = SMA(k), d = SMA(d) of k (technicalindicators layout).
 * RSI is Wilder's; a flat RSI window reads 50.
 */
export const stochrsi = defineIndicator<P>({
  name: 'stochrsi',
  title: 'Stochastic RSI',
  inputs: ['close'],
  params,
  outputs: ['k', 'd'],
  warmup: (p) => p.rsiPeriod + p.stochPeriod - 1 + p.k - 1 + p.d - 1,
  kernel: {
    screensInputs: true,
    layout: (p) => {
      const hot = RSI_HOT + 2 * extremeHot(p.stochPeriod) + 2 * SUM_HOT;
      return { size: hot + p.k + 1 + p.d + 1, hot };
    },
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const [ok, od] = outs as [Float64Array, Float64Array];
      const e = extremeHot(p.stochPeriod);
      const mx = RSI_HOT;
      const mn = mx + e;
      const s1 = mn + e;
      const s2 = s1 + SUM_HOT;
      const r1 = s2 + SUM_HOT;
      const r2 = r1 + p.k + 1;
      const n = p.stochPeriod | 0;
      // Inputs are screened here (a compare per close; the rsi kernel screens its own).
      let good = true;
      if (to - from < 4 * n + p.rsiPeriod) {
        for (let i = from; i < to; i++) {
          const c = x[i]!;
          if (!(c > 0 && c < Infinity)) good = false;
          const r = rsiStep(st, 0, p.rsiPeriod, c);
          stochRsiStep(st, s1, r1, p.k, p.d, r, extremeStep(st, mx, n, 1, r), extremeStep(st, mn, n, -1, r), ok, od, i);
        }
        return good;
      }
      const kInv = 1 / p.k;
      const dInv = 1 / p.d;
      const ks = new RollingSum(st, s1, r1, p.k);
      const ds = new RollingSum(st, s2, r2, p.d);
      // A long run, in blocks: each block's RSI by the rsi kernel (rsiStep's state and
      // arithmetic: the same bits, at its speed) into a buffer that keeps the previous
      // n - 1 values in front, so every window of the block is in the buffer. The deques
      // skip RSI's warm-up NaNs: bars go through them until a window of n values lies
      // in this run, then through window extremes, and the deques are rebuilt at the end.
      const hist = n - 1;
      const rsi = new Float64Array(hist + Math.min(EXTREME_BLOCK, to - from));
      const highs = extremeScratch(n, to - from);
      const lows = extremeScratch(n, to - from);
      const rp = { period: p.rsiPeriod };
      let seen = 0;
      let count = -1;
      let m = 0;
      for (let b = from; b < to; b += EXTREME_BLOCK) {
        const end = Math.min(to, b + EXTREME_BLOCK);
        m = end - b;
        if (b > from) rsi.copyWithin(0, EXTREME_BLOCK, EXTREME_BLOCK + hist);
        if (rsiKernel.run([x.subarray(b, end)], [rsi.subarray(hist, hist + m)], st, rp, 0, m) === false) good = false;
        let j = 0;
        if (count < 0) {
          for (; j < m; j++) {
            const r = rsi[hist + j]!;
            if (r === r && ++seen >= n) break;
            stochRsiBar(ks, ds, kInv, dInv, r, extremeStep(st, mx, n, 1, r), extremeStep(st, mn, n, -1, r), ok, od, b + j);
          }
          if (j === m) continue;
          count = st[mx]! + (to - b - j);
        }
        windowExtremes(rsi, j, hist + j, hist + m, n, 1, highs);
        windowExtremes(rsi, j, hist + j, hist + m, n, -1, lows);
        const hh = highs.values;
        const ll = lows.values;
        for (let q = j; q < m; q++) stochRsiBar(ks, ds, kInv, dInv, rsi[hist + q]!, hh[q - j]!, ll[q - j]!, ok, od, b + q);
      }
      if (count >= 0) {
        rebuildExtreme(st, mx, n, 1, rsi, hist + m, count);
        rebuildExtreme(st, mn, n, -1, rsi, hist + m, count);
      }
      ks.save();
      ds.save();
      return good;
    },
  },
});
