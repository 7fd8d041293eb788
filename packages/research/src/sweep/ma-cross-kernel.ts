import type { FastSignalKernel } from './signal-source';

/**
 * Vectorised ma-cross (static mode): buy where the fast average crosses above the slow
 * one, sell where it crosses below, exactly as `createMaCross` decides, reading the same
 * batch columns. The dynamic mode takes the generic path.
 */
export const maCrossKernel: FastSignalKernel = {
  strategyId: 'ma-cross',
  supports: (p) => p.dynamic !== true,
  signals(series, p, out) {
    const kind = p.kind as string;
    const fastP = Math.max(2, Math.round(p.fast as number));
    const slowP = Math.max(fastP + 1, Math.max(2, Math.round(p.slow as number)));
    const f = series.indicator(kind, { period: fastP });
    const s = series.indicator(kind, { period: slowP });
    const warmup = slowP + 1;
    const n = out.length;
    out.fill(0);
    let f1 = Number.NaN;
    let s1 = Number.NaN;
    const first = Math.max(1, warmup - 1);
    if (first - 1 < n) {
      f1 = f[first - 1] as number;
      s1 = s[first - 1] as number;
    }
    for (let i = first; i < n; i++) {
      const f0 = f[i] as number;
      const s0 = s[i] as number;
      // NaN compares false both ways, so warm-up values never fire (as the strategy's isFinite check).
      if (f1 <= s1 && f0 > s0) out[i] = 1;
      else if (f1 >= s1 && f0 < s0) out[i] = -1;
      f1 = f0;
      s1 = s0;
    }
    return warmup;
  },
};
